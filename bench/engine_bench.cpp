// Engine throughput and memory, on one thread: range -> echo -> discard and a fan-out to
// four chains, each also run as a oneTBB flow graph in the same benchmark (the peer; the
// ratio agdf/oneTBB is printed), what the run's time slicing costs, and peak memory as the
// item count grows.
#include <benchmark/benchmark.h>

#include <chrono>
#include <fstream>
#include <string>

#include <boost/asio/io_context.hpp>
#include <boost/asio/thread_pool.hpp>

#include "agdf/engine/engine.hpp"
#include "agdf/engine/graph_file.hpp"
#include "agdf/engine/validate.hpp"
#include "agdf/nodes/builtin.hpp"
#include "agdf/nodes/registry.hpp"
#include "tbb_peer.hpp"

namespace {

using agdf::Json;
namespace engine = agdf::engine;

std::shared_ptr<const engine::Plan> plan_for(const Json& graph) {
  static const agdf::Registry registry = [] {
    agdf::Registry r;
    agdf::register_builtin_nodes(r);
    return r;
  }();
  auto validation = engine::validate(engine::parse_graph(graph), registry);
  if (!validation.plan) throw std::runtime_error(validation.problems.at(0).to_string());
  return validation.plan;
}

/// Runs a plan to the end on the calling thread.
void run_on_one_thread(const std::shared_ptr<const engine::Plan>& plan,
                       engine::RunOptions options = engine::RunOptions()) {
  boost::asio::io_context io(1);
  boost::asio::thread_pool blocking(1);
  engine::Engine eng(io.get_executor(), blocking.get_executor());
  eng.start(plan, std::move(options), nullptr);
  io.run();
}

template <typename Fn>
double seconds_of(Fn fn) {
  const auto start = std::chrono::steady_clock::now();
  fn();
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

/// Counters for one graph run by agdf and by oneTBB in alternation (so a noisy machine
/// slows both alike): items/s of each and their ratio.
void report_peer(benchmark::State& state, double items, double agdf_seconds, double tbb_seconds) {
  state.counters["agdf_items_per_s"] = items / agdf_seconds;
  state.counters["tbb_items_per_s"] = items / tbb_seconds;
  state.counters["agdf_per_tbb"] = tbb_seconds / agdf_seconds;
}

agdf::bench::TbbConcurrency tbb_concurrency(std::int64_t arg) {
  return arg == 0 ? agdf::bench::TbbConcurrency::serial : agdf::bench::TbbConcurrency::unlimited;
}

Json linear_graph(std::int64_t items, std::int64_t queue_size) {
  return {
      {"nodes",
       {{{"name", "source"}, {"function", "range"}, {"config", {{"stop", items}}}},
        {{"name", "relay"}, {"function", "echo"}, {"queue_size", queue_size}},
        {{"name", "sink"}, {"function", "discard"}, {"queue_size", queue_size}}}},
      {"edges", Json::array({Json::array({"source", "relay"}), Json::array({"relay", "sink"})})}};
}

Json fan_out_graph(std::int64_t items, int width) {
  Json nodes =
      Json::array({{{"name", "source"}, {"function", "range"}, {"config", {{"stop", items}}}}});
  Json edges = Json::array();
  for (int i = 0; i < width; ++i) {
    std::string relay = "relay" + std::to_string(i);
    nodes.push_back({{"name", relay}, {"function", "echo"}});
    nodes.push_back({{"name", "sink" + std::to_string(i)}, {"function", "discard"}});
    edges.push_back(Json::array({"source", relay}));
    edges.push_back(Json::array({relay, "sink" + std::to_string(i)}));
  }
  return {{"nodes", nodes}, {"edges", edges}};
}

/// Peak resident memory since the last reset_peak_rss(), in bytes (Linux).
std::int64_t peak_rss_bytes() {
  std::ifstream status("/proc/self/status");
  for (std::string line; std::getline(status, line);)
    if (line.rfind("VmHWM:", 0) == 0) return std::stoll(line.substr(6)) * 1024;
  return 0;
}

void reset_peak_rss() {
  std::ofstream("/proc/self/clear_refs") << "5";
}

// items/s through a linear 3-node graph; 2 hops per item.
void BM_Linear(benchmark::State& state) {
  auto plan = plan_for(linear_graph(state.range(0), engine::kDefaultQueueSize));
  for (auto _ : state) run_on_one_thread(plan);
  const double items = static_cast<double>(state.iterations() * state.range(0));
  state.SetItemsProcessed(static_cast<std::int64_t>(items));
  state.counters["ns_per_hop"] =
      benchmark::Counter(items * 2, benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
}
BENCHMARK(BM_Linear)->Arg(1'000'000)->Unit(benchmark::kMillisecond)->UseRealTime();

// One source feeding `width` relay -> sink chains: every item is copied to each branch.
void BM_FanOut(benchmark::State& state) {
  const int width = static_cast<int>(state.range(1));
  auto plan = plan_for(fan_out_graph(state.range(0), width));
  for (auto _ : state) run_on_one_thread(plan);
  const double hops = static_cast<double>(state.iterations() * state.range(0)) * width * 2;
  state.SetItemsProcessed(state.iterations() * state.range(0));
  state.counters["ns_per_hop"] =
      benchmark::Counter(hops, benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
}
BENCHMARK(BM_FanOut)->Args({250'000, 4})->Unit(benchmark::kMillisecond)->UseRealTime();

// The linear graph through agdf and through oneTBB (arg 1: 0 = serial function_nodes, the
// equivalent of max_tasks 1; 1 = unlimited, oneTBB's fastest).
void BM_LinearVsOneTBB(benchmark::State& state) {
  const std::int64_t items = state.range(0);
  auto plan = plan_for(linear_graph(items, engine::kDefaultQueueSize));
  double agdf_seconds = 0, tbb_seconds = 0;
  for (auto _ : state) {
    agdf_seconds += seconds_of([&] { run_on_one_thread(plan); });
    tbb_seconds += agdf::bench::tbb_linear_seconds(items, tbb_concurrency(state.range(1)));
  }
  report_peer(state, static_cast<double>(state.iterations() * items), agdf_seconds, tbb_seconds);
}
BENCHMARK(BM_LinearVsOneTBB)
    ->Args({1'000'000, 0})
    ->Args({1'000'000, 1})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

// The fan-out graph through agdf and through oneTBB's broadcast_node equivalent.
void BM_FanOutVsOneTBB(benchmark::State& state) {
  const std::int64_t items = state.range(0);
  auto plan = plan_for(fan_out_graph(items, 4));
  double agdf_seconds = 0, tbb_seconds = 0;
  for (auto _ : state) {
    agdf_seconds += seconds_of([&] { run_on_one_thread(plan); });
    tbb_seconds += agdf::bench::tbb_fan_out_seconds(items, 4, tbb_concurrency(state.range(1)));
  }
  report_peer(state, static_cast<double>(state.iterations() * items), agdf_seconds, tbb_seconds);
}
BENCHMARK(BM_FanOutVsOneTBB)
    ->Args({250'000, 0})
    ->Args({250'000, 1})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

// What sharing the thread costs: the linear graph with the default time slice against one
// so long the run never yields, in alternation. sliced_per_unsliced < 1 is the cost.
void BM_TimeSliceCost(benchmark::State& state) {
  const std::int64_t items = state.range(0);
  auto plan = plan_for(linear_graph(items, engine::kDefaultQueueSize));
  engine::RunOptions unsliced;
  unsliced.time_slice = std::chrono::hours(1);
  double sliced_seconds = 0, unsliced_seconds = 0;
  for (auto _ : state) {
    sliced_seconds += seconds_of([&] { run_on_one_thread(plan); });
    unsliced_seconds += seconds_of([&] { run_on_one_thread(plan, unsliced); });
  }
  state.counters["sliced_per_unsliced"] = unsliced_seconds / sliced_seconds;
}
BENCHMARK(BM_TimeSliceCost)->Arg(1'000'000)->Unit(benchmark::kMillisecond)->UseRealTime();

// Peak memory of a whole run with small queues: must not grow with the item count.
void BM_PeakMemory(benchmark::State& state) {
  auto plan = plan_for(linear_graph(state.range(0), 100));
  std::int64_t peak = 0;
  for (auto _ : state) {
    reset_peak_rss();
    run_on_one_thread(plan);
    peak = std::max(peak, peak_rss_bytes());
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
  state.counters["peak_rss_MB"] = static_cast<double>(peak) / (1024.0 * 1024.0);
}
BENCHMARK(BM_PeakMemory)
    ->Arg(100'000)
    ->Arg(1'000'000)
    ->Arg(10'000'000)
    ->Iterations(1)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
