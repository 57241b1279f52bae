// The run store on its own, without a daemon: how many tiny runs per second the batched
// writer stores into SQLite (a new run, RunStarted, a stats snapshot, RunFinished and its
// final state, as the daemon writes them), and the disk each takes.
#include <benchmark/benchmark.h>

#include <atomic>
#include <filesystem>
#include <future>
#include <memory>
#include <string>

#include "agdf/store/sqlite_store.hpp"
#include "agdf/store/store_codec.hpp"
#include "agdf/store/store_writer.hpp"

namespace {

namespace v1 = agdf::v1;
namespace fs = std::filesystem;
namespace store = agdf::store;

struct TempDir {
  fs::path path;
  TempDir() {
    std::string pattern = (fs::temp_directory_path() / "agdf-store-bench-XXXXXX").string();
    path = ::mkdtemp(pattern.data());
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
};

store::EventPtr event(const std::string& id, std::uint64_t seq, void (*fill)(v1::RunEvent&)) {
  auto e = std::make_shared<v1::RunEvent>();
  e->set_run_id(id);
  e->set_seq(seq);
  e->set_time_unix_ms(1'700'000'000'000);
  fill(*e);
  return e;
}

void add_stats(google::protobuf::RepeatedPtrField<v1::NodeStats>& stats) {
  for (const char* name : {"numbers", "sink"}) {
    auto* node = stats.Add();
    node->set_node(name);
    node->set_in(10);
    node->set_out(10);
  }
}

/// Writes `runs` tiny runs as the daemon does: each encoded by the caller, then queued.
void write_tiny_runs(store::StoreWriter& writer, std::uint64_t first, std::uint64_t runs) {
  v1::SubmitRunRequest submission;
  submission.mutable_definition()->set_graph_json(
      R"({"nodes": [{"name": "numbers", "function": "range", "config": {"stop": 10}},)"
      R"({"name": "sink", "function": "discard"}], "edges": [["numbers", "sink"]]})");
  const std::string request = submission.SerializeAsString();
  std::atomic<std::uint64_t> durable{0};
  for (std::uint64_t n = first; n < first + runs; ++n) {
    v1::RunInfo info;
    info.set_run_id("bench0000-" + std::to_string(n));
    info.set_state(v1::RUN_STATE_QUEUED);
    info.set_submitted_unix_ms(1'700'000'000'000);
    store::NewRun run = store::encode_new_run(n, info, nullptr);
    run.submission = request;
    const std::string id = info.run_id();
    writer.add_run(std::move(run), nullptr, [&](auto) { durable.fetch_add(1); });
    writer.change_run(store::state_change(n, v1::RUN_STATE_RUNNING));
    writer.add_event(n, *event(id, 1, [](v1::RunEvent& e) { e.mutable_started(); }));
    writer.add_event(
        n, *event(id, 2, [](v1::RunEvent& e) { add_stats(*e.mutable_stats()->mutable_nodes()); }));
    writer.add_event(n, *event(id, 3, [](v1::RunEvent& e) {
                       e.mutable_finished()->set_state(v1::RUN_STATE_COMPLETED);
                       add_stats(*e.mutable_finished()->mutable_stats());
                     }));
    info.set_state(v1::RUN_STATE_COMPLETED);
    info.set_started_unix_ms(1'700'000'000'001);
    info.set_finished_unix_ms(1'700'000'000'002);
    info.set_last_seq(3);
    add_stats(*info.mutable_stats());
    writer.change_run(store::encode_change(n, info));
  }
  writer.flush();
}

void BM_StoreTinyRuns(benchmark::State& state) {
  TempDir dir;
  auto db =
      store::open_sqlite_store({.file = dir.path / "runs.db", .full_sync = state.range(0) == 1});
  std::uint64_t next = 1;
  constexpr std::uint64_t kRuns = 20'000;
  {
    store::StoreWriter writer(*db, {});
    for (auto _ : state) {
      write_tiny_runs(writer, next, kRuns);
      next += kRuns;
    }
  }
  db.reset();
  double bytes = 0;
  for (const auto& entry : fs::directory_iterator(dir.path))
    bytes += static_cast<double>(entry.file_size());
  state.counters["runs_per_s"] = benchmark::Counter(static_cast<double>(state.iterations() * kRuns),
                                                    benchmark::Counter::kIsRate);
  state.counters["bytes_per_run"] = bytes / static_cast<double>(next - 1);
}
BENCHMARK(BM_StoreTinyRuns)
    ->Arg(0)
    ->Arg(1)
    ->ArgName("full_sync")
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
