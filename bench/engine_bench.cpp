// Engine throughput and memory, on one thread (issue 2 targets: >= 5M items/s through
// range -> echo -> discard, <= 100 ns per item-hop, memory flat in the item count).
#include <benchmark/benchmark.h>

#include <fstream>
#include <string>

#include <boost/asio/io_context.hpp>
#include <boost/asio/thread_pool.hpp>

#include "agdf/engine/engine.hpp"
#include "agdf/engine/graph_file.hpp"
#include "agdf/engine/validate.hpp"
#include "agdf/nodes/builtin.hpp"
#include "agdf/nodes/registry.hpp"

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
void run_on_one_thread(const std::shared_ptr<const engine::Plan>& plan) {
  boost::asio::io_context io(1);
  boost::asio::thread_pool blocking(1);
  engine::Engine eng(io.get_executor(), blocking.get_executor());
  eng.start(plan, engine::RunOptions(), nullptr);
  io.run();
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
