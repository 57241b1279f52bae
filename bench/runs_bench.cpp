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
#include <cstdlib>
#include <fstream>
#include <functional>
#include <iterator>
#include <memory>
#include <mutex>
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
  return {"--log-level", "warn", "--max-runs", "20000", "--max-queued-runs", "20000"};
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
          std::vector<double>& latencies_us, std::mutex& latencies_mutex)
      : stub_(stub),
        request_(request),
        countdown_(countdown),
        latencies_us_(latencies_us),
        latencies_mutex_(latencies_mutex) {}

  void next() {
    if (!countdown_.take()) return;
    submitted_ = Clock::now();
    submit_context_ = std::make_unique<grpc::ClientContext>();
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
    watch_request_.set_run_id(response_.run_id());
    stub_.async()->WatchRun(watch_context_.get(), &watch_request_, this);
    StartRead(&event_);
    StartCall();
  }

  v1::Agdf::Stub& stub_;
  const v1::SubmitRunRequest& request_;
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

/// Completes `runs` tiny runs with `in_flight` submit+watch loops over `channels`
/// connections; returns the submit-to-RunFinished latencies in microseconds.
std::vector<double> complete_runs(Store store, std::int64_t runs, int in_flight, int channels) {
  std::vector<std::unique_ptr<v1::Agdf::Stub>> stubs;
  for (int c = 0; c < channels; ++c) stubs.push_back(shared_daemon(store).stub());
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
                                              request, countdown, latencies, latencies_mutex));
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
  complete_runs(store, 500, in_flight, 2);  // warm up connections and allocator
  std::vector<double> all;
  for (auto _ : state) {
    auto latencies = complete_runs(store, kRunsPerIteration, in_flight, 2);
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
  complete_runs(Store::off, 500, in_flight, 2);
  complete_runs(Store::on, 500, in_flight, 2);
  double off_s = 0, on_s = 0, off_cpu = 0, on_cpu = 0;
  const pid_t off_pid = shared_daemon(Store::off).pid();
  const pid_t on_pid = shared_daemon(Store::on).pid();
  for (auto _ : state) {
    const double c0 = cpu_seconds(off_pid);
    auto t0 = Clock::now();
    complete_runs(Store::off, kRunsPerIteration, in_flight, 2);
    auto t1 = Clock::now();
    const double c1 = cpu_seconds(on_pid);
    complete_runs(Store::on, kRunsPerIteration, in_flight, 2);
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
  complete_runs(store, 100, 1, 1);
  std::vector<double> all;
  for (auto _ : state) {
    auto latencies = complete_runs(store, kRunsPerIteration, 1, 1);
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
