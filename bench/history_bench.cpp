// The run history at scale (issue 12 targets): ListRuns' first page over 100,000 stored
// runs < 20 ms median, restart to serving with 100,000 stored runs < 2 s, and the disk a
// stored tiny run takes. One real agdf-server fills a state directory with tiny runs
// (range(10) -> discard, each labelled batch=N%100), then every benchmark reads it.
// AGDF_HISTORY_BENCH_RUNS changes how many runs (default 100000).
#include <benchmark/benchmark.h>

#include <signal.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "agdf/v1/agdf.grpc.pb.h"
#include "server/daemon_process.hpp"

namespace {

namespace v1 = agdf::v1;
namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;
using agdf::testing::DaemonProcess;

const char* const kTinyGraph = R"({"nodes": [
  {"name": "numbers", "function": "range", "config": {"stop": 10}},
  {"name": "sink", "function": "discard"}],
  "edges": [["numbers", "sink"]]})";

std::string daemon_binary() {
  const char* override = std::getenv("AGDF_SERVER_BIN");
  return override && *override ? override : AGDF_SERVER_BIN;
}

std::int64_t stored_runs() {
  const char* n = std::getenv("AGDF_HISTORY_BENCH_RUNS");
  return n && *n ? std::atoll(n) : 100'000;
}

/// A state directory of its own, removed at exit.
const fs::path& state_dir() {
  static const struct Dir {
    fs::path path;
    Dir() {
      std::string pattern = (fs::temp_directory_path() / "agdf-history-bench-XXXXXX").string();
      path = ::mkdtemp(pattern.data());
    }
    ~Dir() {
      std::error_code ec;
      fs::remove_all(path, ec);
    }
  } dir;
  return dir.path;
}

std::unique_ptr<DaemonProcess> start_daemon() {
  return std::make_unique<DaemonProcess>(
      daemon_binary(),
      std::vector<std::string>{"--log-level", "warn", "--state-dir", state_dir().string(),
                               "--retain-runs", "0", "--max-runs", "20000", "--max-queued-runs",
                               "200000"});
}

/// Submits `count` tiny runs, `in_flight` at a time, each waiting for its durable OK.
void submit_runs(v1::Agdf::Stub& stub, std::int64_t count, int in_flight = 256) {
  std::mutex mutex;
  std::condition_variable done;
  std::int64_t left = count;
  std::atomic<std::int64_t> next{0};
  struct Call {
    grpc::ClientContext context;
    v1::SubmitRunRequest request;
    v1::SubmitRunResponse response;
  };
  std::function<void()> submit_next = [&] {
    const std::int64_t i = next.fetch_add(1);
    if (i >= count) return;
    auto call = std::make_shared<Call>();
    call->request.mutable_definition()->set_graph_json(kTinyGraph);
    (*call->request.mutable_labels())["batch"] = std::to_string(i % 100);
    stub.async()->SubmitRun(&call->context, &call->request, &call->response,
                            [&, call](grpc::Status) {
                              {
                                std::lock_guard lock(mutex);
                                if (--left == 0) done.notify_all();
                              }
                              submit_next();
                            });
  };
  for (int i = 0; i < in_flight; ++i) submit_next();
  std::unique_lock lock(mutex);
  done.wait(lock, [&] { return left == 0; });
}

std::size_t count_in(v1::Agdf::Stub& stub, v1::RunState state) {
  grpc::ClientContext context;
  v1::ListRunsRequest request;
  request.set_state(state);
  request.set_page_size(1000);
  v1::ListRunsResponse response;
  stub.ListRuns(&context, request, &response);
  return static_cast<std::size_t>(response.runs_size());
}

/// The daemon with the filled history, filled on first use.
DaemonProcess& daemon() {
  static std::unique_ptr<DaemonProcess> shared = [] {
    auto d = start_daemon();
    auto stub = d->stub();
    const auto t0 = Clock::now();
    submit_runs(*stub, stored_runs());
    while (count_in(*stub, v1::RUN_STATE_RUNNING) + count_in(*stub, v1::RUN_STATE_QUEUED) > 0)
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    std::fprintf(stderr, "history_bench: %lld runs stored in %.1f s\n",
                 static_cast<long long>(stored_runs()),
                 std::chrono::duration<double>(Clock::now() - t0).count());
    return d;
  }();
  return *shared;
}

/// ListRuns' first page (50 runs), timed call by call.
void list_first_page(benchmark::State& state, const v1::ListRunsRequest& request) {
  auto stub = daemon().stub();
  std::vector<double> ms;
  for (auto _ : state) {
    grpc::ClientContext context;
    v1::ListRunsResponse response;
    const auto t0 = Clock::now();
    grpc::Status status = stub->ListRuns(&context, request, &response);
    ms.push_back(std::chrono::duration<double, std::milli>(Clock::now() - t0).count());
    if (!status.ok() || response.runs_size() == 0) state.SkipWithError("ListRuns failed");
  }
  std::sort(ms.begin(), ms.end());
  state.counters["median_ms"] = ms[ms.size() / 2];
  state.counters["stored_runs"] = static_cast<double>(stored_runs());
}

void BM_ListRunsFirstPage(benchmark::State& state) {
  list_first_page(state, {});
}
BENCHMARK(BM_ListRunsFirstPage)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_ListRunsFirstPageByState(benchmark::State& state) {
  v1::ListRunsRequest request;
  request.set_state(v1::RUN_STATE_COMPLETED);
  list_first_page(state, request);
}
BENCHMARK(BM_ListRunsFirstPageByState)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_ListRunsFirstPageByLabel(benchmark::State& state) {
  v1::ListRunsRequest request;
  (*request.mutable_labels())["batch"] = "42";  // 1 run in 100
  list_first_page(state, request);
}
BENCHMARK(BM_ListRunsFirstPageByLabel)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_ListRunsLastPage(benchmark::State& state) {
  v1::ListRunsRequest request;
  request.set_page_token("51");  // the 50 oldest runs: a deep page costs the same
  list_first_page(state, request);
}
BENCHMARK(BM_ListRunsLastPage)->Unit(benchmark::kMillisecond)->UseRealTime();

/// A graceful stop, then a new daemon on the same state directory, timed from its start
/// until it answered a ListRuns. Also reports the disk the history takes.
void BM_RestartToServing(benchmark::State& state) {
  daemon();  // filled
  static std::unique_ptr<DaemonProcess>* current = nullptr;
  std::vector<double> ms;
  double disk_bytes = 0;
  for (auto _ : state) {
    state.PauseTiming();
    DaemonProcess& running = current ? **current : daemon();
    running.send_signal(SIGTERM);
    running.wait_exit(std::chrono::seconds(120));
    disk_bytes = 0;
    for (const auto& entry : fs::directory_iterator(state_dir()))
      if (entry.path().filename().string().starts_with("runs.db"))
        disk_bytes += static_cast<double>(entry.file_size());
    state.ResumeTiming();
    const auto t0 = Clock::now();
    auto restarted = start_daemon();
    grpc::ClientContext context;
    v1::ListRunsResponse response;
    restarted->stub()->ListRuns(&context, {}, &response);
    ms.push_back(std::chrono::duration<double, std::milli>(Clock::now() - t0).count());
    if (response.runs_size() == 0) state.SkipWithError("the restarted daemon lists no runs");
    static std::unique_ptr<DaemonProcess> kept;
    kept = std::move(restarted);
    current = &kept;
  }
  std::sort(ms.begin(), ms.end());
  state.counters["median_ms"] = ms[ms.size() / 2];
  state.counters["disk_MB"] = disk_bytes / 1e6;
  state.counters["bytes_per_run"] = disk_bytes / static_cast<double>(stored_runs());
}
BENCHMARK(BM_RestartToServing)->Iterations(5)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
