// The daemon end to end over loopback (issue 3 targets: >= 5,000 tiny runs/s, submit to
// RunFinished p50 < 2 ms, 10,000 idle runs in < 200 MB; issue 12: with the run store on,
// >= 70% of the runs/s with it off, p50 < 2 ms). The real agdf-server runs as a separate
// process; this program is its client, on the callback API, many runs in flight.
#include <benchmark/benchmark.h>

#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iterator>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <sstream>
#include <vector>

#include "agdf/v1/agdf.grpc.pb.h"
#include "server/daemon_process.hpp"

namespace {

namespace v1 = agdf::v1;
using Clock = std::chrono::steady_clock;

/// The tiny graph of the reference comparison: range(10) -> discard.
const char* const kTinyGraph = R"({"nodes": [
  {"name": "numbers", "function": "range", "config": {"stop": 10}},
  {"name": "sink", "function": "discard"}],
  "edges": [["numbers", "sink"]]})";

/// One node that sleeps an hour: a run that stays idle until cancelled.
const char* const kIdleGraph =
    R"({"nodes": [{"name": "wait", "function": "sleep", "config": {"ms": 3600000}}]})";

/// The daemon binary: the one built with this program, or $AGDF_SERVER_BIN (e.g. a
/// wrapper script that runs it under a profiler).
std::string daemon_binary() {
  const char* override = std::getenv("AGDF_SERVER_BIN");
  return override && *override ? override : AGDF_SERVER_BIN;
}

std::vector<std::string> daemon_flags() {
  return {"--log-level",
          "warn",
          "--max-runs",
          "20000",
          "--max-queued-runs",
          "20000",
          "--max-runs-per-principal",
          "20000"};
}

/// Whether the daemon keeps its run history (the default) or only memory (--no-store).
enum class Store { off = 0, on = 1 };

/// The daemons shared by the throughput and latency benchmarks, one per store mode (the
/// store-on one in a temporary state directory of its own).
agdf::testing::DaemonProcess& shared_daemon(Store store) {
  if (store == Store::off) {
    static agdf::testing::DaemonProcess off = [] {
      auto flags = daemon_flags();
      flags.push_back("--no-store");
      return agdf::testing::DaemonProcess(daemon_binary(), flags);
    }();
    return off;
  }
  static agdf::testing::DaemonProcess on(daemon_binary(), daemon_flags());
  return on;
}

/// Counts down finished operations and wakes the waiting benchmark thread at zero.
class Countdown {
 public:
  explicit Countdown(std::int64_t n) : left_(n) {}
  /// True while the caller should start another operation.
  bool take() { return started_.fetch_add(1) < total(); }
  void done() {
    std::lock_guard lock(mutex_);
    if (--left_ == 0) zero_.notify_all();
  }
  void wait() {
    std::unique_lock lock(mutex_);
    zero_.wait(lock, [this] { return left_ == 0; });
  }
  std::int64_t total() const { return total_; }
  void set_total(std::int64_t n) { total_ = n; }

 private:
  std::mutex mutex_;
  std::condition_variable zero_;
  std::int64_t left_;
  std::int64_t total_ = 0;
  std::atomic<std::int64_t> started_{0};
};

/// One slot of work in flight: submit a run, watch it to RunFinished, repeat.
class RunLoop final : public grpc::ClientReadReactor<v1::RunEvent> {
 public:
  RunLoop(v1::Agdf::Stub& stub, const v1::SubmitRunRequest& request, Countdown& countdown,
          std::vector<double>& latencies_us, std::mutex& latencies_mutex,
          const std::string& authorization = {})
      : stub_(stub),
        request_(request),
        authorization_(authorization),
        countdown_(countdown),
        latencies_us_(latencies_us),
        latencies_mutex_(latencies_mutex) {}

  void next() {
    if (!countdown_.take()) return;
    submitted_ = Clock::now();
    submit_context_ = std::make_unique<grpc::ClientContext>();
    if (!authorization_.empty()) submit_context_->AddMetadata("authorization", authorization_);
    stub_.async()->SubmitRun(submit_context_.get(), &request_, &response_,
                             [this](grpc::Status status) { on_submitted(std::move(status)); });
  }

  void OnReadDone(bool ok) override {
    if (!ok) return;
    if (event_.has_finished()) finished_ = Clock::now();
    StartRead(&event_);
  }

  void OnDone(const grpc::Status& status) override {
    if (!status.ok() || finished_ <= submitted_) {
      failures_.fetch_add(1);
    } else {
      std::lock_guard lock(latencies_mutex_);
      latencies_us_.push_back(
          std::chrono::duration<double, std::micro>(finished_ - submitted_).count());
    }
    countdown_.done();
    next();
  }

  static std::int64_t failures() { return failures_.load(); }

 private:
  void on_submitted(grpc::Status status) {
    if (!status.ok()) {
      failures_.fetch_add(1);
      countdown_.done();
      return next();
    }
    watch_context_ = std::make_unique<grpc::ClientContext>();
    if (!authorization_.empty()) watch_context_->AddMetadata("authorization", authorization_);
    watch_request_.set_run_id(response_.run_id());
    stub_.async()->WatchRun(watch_context_.get(), &watch_request_, this);
    StartRead(&event_);
    StartCall();
  }

  v1::Agdf::Stub& stub_;
  const v1::SubmitRunRequest& request_;
  const std::string& authorization_;
  Countdown& countdown_;
  std::vector<double>& latencies_us_;
  std::mutex& latencies_mutex_;
  std::unique_ptr<grpc::ClientContext> submit_context_;
  std::unique_ptr<grpc::ClientContext> watch_context_;
  v1::SubmitRunResponse response_;
  v1::WatchRunRequest watch_request_;
  v1::RunEvent event_;
  Clock::time_point submitted_;
  Clock::time_point finished_;
  static inline std::atomic<std::int64_t> failures_{0};
};

double percentile(std::vector<double>& values, double p) {
  if (values.empty()) return 0;
  auto k = static_cast<std::size_t>(p * static_cast<double>(values.size() - 1));
  std::nth_element(values.begin(), values.begin() + static_cast<std::ptrdiff_t>(k), values.end());
  return values[k];
}

/// A daemon to drive: how to open a connection to it, and the authorization to send.
struct Target {
  std::function<std::unique_ptr<v1::Agdf::Stub>()> stub;
  std::string authorization;  ///< empty: none
};

/// The shared daemon of a store mode, without tokens.
Target plain_target(Store store) {
  return {[store] { return shared_daemon(store).stub(); }, {}};
}

/// Completes `runs` tiny runs with `in_flight` submit+watch loops over `channels`
/// connections; returns the submit-to-RunFinished latencies in microseconds.
std::vector<double> complete_runs(std::int64_t runs, int in_flight, int channels,
                                  const Target& target) {
  std::vector<std::unique_ptr<v1::Agdf::Stub>> stubs;
  for (int c = 0; c < channels; ++c) stubs.push_back(target.stub());
  v1::SubmitRunRequest request;
  request.mutable_definition()->set_graph_json(kTinyGraph);

  Countdown countdown(runs);
  countdown.set_total(runs);
  std::vector<double> latencies;
  latencies.reserve(static_cast<std::size_t>(runs));
  std::mutex latencies_mutex;
  std::vector<std::unique_ptr<RunLoop>> loops;
  for (int i = 0; i < in_flight; ++i)
    loops.push_back(std::make_unique<RunLoop>(*stubs[static_cast<std::size_t>(i % channels)],
                                              request, countdown, latencies, latencies_mutex,
                                              target.authorization));
  for (auto& loop : loops) loop->next();
  countdown.wait();
  return latencies;
}

/// Throughput: tiny runs submitted and watched to RunFinished, many in flight; store off (0)
/// or on (1).
void BM_TinyRunsPerSecond(benchmark::State& state) {
  const auto in_flight = static_cast<int>(state.range(0));
  const auto store = static_cast<Store>(state.range(1));
  constexpr std::int64_t kRunsPerIteration = 5000;
  complete_runs(500, in_flight, 2, plain_target(store));  // warm up connections and allocator
  std::vector<double> all;
  for (auto _ : state) {
    auto latencies = complete_runs(kRunsPerIteration, in_flight, 2, plain_target(store));
    all.insert(all.end(), latencies.begin(), latencies.end());
  }
  state.counters["runs_per_s"] = benchmark::Counter(
      static_cast<double>(state.iterations() * kRunsPerIteration), benchmark::Counter::kIsRate);
  state.counters["p50_us"] = percentile(all, 0.50);
  state.counters["p99_us"] = percentile(all, 0.99);
  state.counters["failures"] = static_cast<double>(RunLoop::failures());
}
BENCHMARK(BM_TinyRunsPerSecond)
    ->ArgsProduct({{64, 256}, {0, 1}})
    ->ArgNames({"in_flight", "store"})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

/// A daemon requiring a token (made with `agdf-server token add`), serving TLS (a
/// certificate made with the openssl command) or plain text; files in a temp directory.
struct SecureDaemon {
  std::string dir;
  std::string token;
  std::unique_ptr<agdf::testing::DaemonProcess> process;
  std::string ca_pem;
  bool tls;

  explicit SecureDaemon(bool with_tls) : tls(with_tls) {
    char pattern[] = "/tmp/agdf-bench-XXXXXX";
    dir = mkdtemp(pattern);
    const std::string cert = dir + "/server.crt", key = dir + "/server.key";
    const std::string make_cert =
        "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 1 "
        "-subj /CN=agdf-bench -addext subjectAltName=IP:127.0.0.1 -keyout " +
        key + " -out " + cert + " 2>/dev/null";
    if (std::system(make_cert.c_str()) != 0) throw std::runtime_error("openssl failed");
    const std::string add = daemon_binary() + " token add bench --role submitter --tokens " + dir +
                            "/tokens.jsonl 2>/dev/null";
    FILE* out = popen(add.c_str(), "r");
    char line[256] = {};
    if (!out || !fgets(line, sizeof line, out)) throw std::runtime_error("token add failed");
    pclose(out);
    token = line;
    token.erase(token.find_last_not_of("\n") + 1);
    std::ifstream in(cert);
    ca_pem.assign(std::istreambuf_iterator<char>(in), {});
    auto flags = daemon_flags();
    flags.insert(flags.end(), {"--tokens", dir + "/tokens.jsonl"});
    if (tls) flags.insert(flags.end(), {"--tls-cert", cert, "--tls-key", key});
    process = std::make_unique<agdf::testing::DaemonProcess>(daemon_binary(), flags);
  }
  ~SecureDaemon() { std::filesystem::remove_all(dir); }

  std::unique_ptr<v1::Agdf::Stub> stub() const {
    if (!tls) return v1::Agdf::NewStub(process->channel());
    grpc::SslCredentialsOptions ssl;
    ssl.pem_root_certs = ca_pem;
    grpc::ChannelArguments args;
    args.SetInt("grpc.use_local_subchannel_pool", 1);
    return v1::Agdf::NewStub(
        grpc::CreateCustomChannel(process->address(), grpc::SslCredentials(ssl), args));
  }
};

Target secure_target(bool tls) {
  static SecureDaemon with_tls(true);
  static SecureDaemon token_only(false);
  const SecureDaemon& daemon = tls ? with_tls : token_only;
  return {[&daemon] { return daemon.stub(); }, "Bearer " + daemon.token};
}

/// Issue 13's target: tiny runs/s over TLS with a token against plain text without one
/// (and, to tell the two costs apart, plain text with a token), measured in turn within
/// each iteration so all see the same machine load.
void BM_TlsAndTokenVersusPlain(benchmark::State& state) {
  const auto in_flight = static_cast<int>(state.range(0));
  constexpr std::int64_t kRunsPerIteration = 6000;
  const Target targets[] = {plain_target(Store::on), secure_target(false), secure_target(true)};
  double seconds[3] = {0, 0, 0};
  for (const auto& target : targets) complete_runs(500, in_flight, 2, target);
  // Short turns in a rotating order: the machine's load drifts, and whichever goes first
  // or last must not be favoured.
  constexpr int kTurns = 6;
  for (auto _ : state) {
    for (int turn = 0; turn < kTurns; ++turn) {
      for (int k = 0; k < 3; ++k) {
        const int i = (k + turn) % 3;
        const auto start = Clock::now();
        complete_runs(kRunsPerIteration / kTurns, in_flight, 2, targets[i]);
        seconds[i] += std::chrono::duration<double>(Clock::now() - start).count();
      }
    }
  }
  const double runs =
      static_cast<double>(state.iterations() * (kRunsPerIteration / kTurns) * kTurns);
  state.counters["plain_runs_per_s"] = runs / seconds[0];
  state.counters["token_runs_per_s"] = runs / seconds[1];
  state.counters["tls_token_runs_per_s"] = runs / seconds[2];
  state.counters["ratio"] = seconds[0] / seconds[2];
  state.counters["failures"] = static_cast<double>(RunLoop::failures());
}
BENCHMARK(BM_TlsAndTokenVersusPlain)->Arg(64)->Unit(benchmark::kMillisecond)->UseRealTime();

/// CPU seconds (user + system) the process has used so far.
double cpu_seconds(pid_t pid) {
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  std::string text((std::istreambuf_iterator<char>(stat)), std::istreambuf_iterator<char>());
  std::istringstream fields(text.substr(text.rfind(')') + 2));  // after "pid (comm) "
  std::string field;
  double ticks = 0;
  for (int i = 3; i <= 15 && fields >> field; ++i)
    if (i == 14 || i == 15) ticks += std::stod(field);  // utime, stime
  return ticks / static_cast<double>(::sysconf(_SC_CLK_TCK));
}

/// The store's cost side by side: each iteration completes the same tiny runs on the
/// store-off daemon, then on the store-on one, so both see the same machine load.
void BM_TinyRunsStoreOnVsOff(benchmark::State& state) {
  const auto in_flight = static_cast<int>(state.range(0));
  constexpr std::int64_t kRunsPerIteration = 5000;
  complete_runs(500, in_flight, 2, plain_target(Store::off));
  complete_runs(500, in_flight, 2, plain_target(Store::on));
  double off_s = 0, on_s = 0, off_cpu = 0, on_cpu = 0;
  const pid_t off_pid = shared_daemon(Store::off).pid();
  const pid_t on_pid = shared_daemon(Store::on).pid();
  for (auto _ : state) {
    const double c0 = cpu_seconds(off_pid);
    auto t0 = Clock::now();
    complete_runs(kRunsPerIteration, in_flight, 2, plain_target(Store::off));
    auto t1 = Clock::now();
    const double c1 = cpu_seconds(on_pid);
    complete_runs(kRunsPerIteration, in_flight, 2, plain_target(Store::on));
    auto t2 = Clock::now();
    off_cpu += cpu_seconds(off_pid) - c0;
    on_cpu += cpu_seconds(on_pid) - c1;
    off_s += std::chrono::duration<double>(t1 - t0).count();
    on_s += std::chrono::duration<double>(t2 - t1).count();
  }
  const double runs = static_cast<double>(state.iterations() * kRunsPerIteration);
  state.counters["off_runs_per_s"] = runs / off_s;
  state.counters["on_runs_per_s"] = runs / on_s;
  state.counters["on_vs_off"] = off_s / on_s;
  // The daemons' own CPU per run: what the store costs, whatever else the machine does.
  state.counters["off_cpu_us_per_run"] = off_cpu / runs * 1e6;
  state.counters["on_cpu_us_per_run"] = on_cpu / runs * 1e6;
  state.counters["failures"] = static_cast<double>(RunLoop::failures());
}
BENCHMARK(BM_TinyRunsStoreOnVsOff)
    ->Arg(64)
    ->Arg(256)
    ->ArgName("in_flight")
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

/// Latency: one run at a time, submit to the RunFinished event; store off (0) or on (1).
void BM_SubmitToFinishedLatency(benchmark::State& state) {
  const auto store = static_cast<Store>(state.range(0));
  constexpr std::int64_t kRunsPerIteration = 500;
  complete_runs(100, 1, 1, plain_target(store));
  std::vector<double> all;
  for (auto _ : state) {
    auto latencies = complete_runs(kRunsPerIteration, 1, 1, plain_target(store));
    all.insert(all.end(), latencies.begin(), latencies.end());
  }
  state.counters["p50_us"] = percentile(all, 0.50);
  state.counters["p99_us"] = percentile(all, 0.99);
  state.counters["runs_per_s"] = benchmark::Counter(
      static_cast<double>(state.iterations() * kRunsPerIteration), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_SubmitToFinishedLatency)
    ->Arg(0)
    ->Arg(1)
    ->ArgName("store")
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

/// Submits `count` idle runs, `in_flight` submissions at a time (as a client would;
/// thousands of simultaneous calls would measure gRPC's call buffers, not the runs).
std::vector<std::string> submit_idle_runs(v1::Agdf::Stub& stub, int count, int in_flight = 64) {
  v1::SubmitRunRequest request;
  request.mutable_definition()->set_graph_json(kIdleGraph);
  request.set_stats_interval_ms(0);
  const auto n = static_cast<std::size_t>(count);
  std::vector<v1::SubmitRunResponse> responses(n);
  std::vector<std::unique_ptr<grpc::ClientContext>> contexts(n);
  std::atomic<std::size_t> next{0};
  Countdown countdown(count);
  std::function<void()> submit_next = [&] {
    const std::size_t i = next.fetch_add(1);
    if (i >= n) return;
    contexts[i] = std::make_unique<grpc::ClientContext>();
    stub.async()->SubmitRun(contexts[i].get(), &request, &responses[i], [&](grpc::Status) {
      countdown.done();
      submit_next();
    });
  };
  for (int i = 0; i < in_flight; ++i) submit_next();
  countdown.wait();
  std::vector<std::string> ids;
  for (const auto& response : responses) ids.push_back(response.run_id());
  return ids;
}

/// Waits until the run reported RunStarted (its tasks exist and are waiting).
void wait_started(v1::Agdf::Stub& stub, const std::string& id) {
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(60));
  v1::WatchRunRequest request;
  request.set_run_id(id);
  auto reader = stub.WatchRun(&context, request);
  v1::RunEvent event;
  while (reader->Read(&event) && !event.has_started()) {
  }
  context.TryCancel();
  reader->Finish();
}

/// Memory: daemon RSS growth per concurrent idle run (a fresh daemon per repetition).
void BM_IdleRunMemory(benchmark::State& state) {
  const auto runs = static_cast<int>(state.range(0));
  double per_run_bytes = 0, before = 0, after = 0;
  for (auto _ : state) {
    auto flags = daemon_flags();
    flags.insert(flags.end(), {"--grace-period", "0"});
    agdf::testing::DaemonProcess daemon(daemon_binary(), flags);
    auto stub = daemon.stub();
    submit_idle_runs(*stub, 100);  // warm up: first allocations, connection buffers
    before = static_cast<double>(daemon.resident_bytes());
    auto ids = submit_idle_runs(*stub, runs);
    wait_started(*stub, ids.back());
    wait_started(*stub, ids.front());
    after = static_cast<double>(daemon.resident_bytes());
    per_run_bytes = (after - before) / runs;
    daemon.send_signal(SIGTERM);  // --grace-period 0: cancels every run, then exits
    if (daemon.wait_exit(std::chrono::seconds(120)) != 0) state.SkipWithError("unclean exit");
  }
  state.counters["rss_before_MB"] = before / 1e6;
  state.counters["rss_after_MB"] = after / 1e6;
  state.counters["per_run_KB"] = per_run_bytes / 1e3;
}
BENCHMARK(BM_IdleRunMemory)
    ->Arg(10000)
    ->Arg(2000)
    ->Iterations(1)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
