// What metrics cost (issue 14 targets): engine throughput with a run's metrics observer
// attached against none, in one run (>= 97%), and rendering /metrics with 10,000
// finished runs and 100 functions (< 10 ms).
#include <benchmark/benchmark.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/thread_pool.hpp>

#include "agdf/engine/engine.hpp"
#include "agdf/engine/graph_file.hpp"
#include "agdf/engine/validate.hpp"
#include "agdf/metrics/daemon_metrics.hpp"
#include "agdf/metrics/run_metrics.hpp"
#include "agdf/nodes/builtin.hpp"

namespace {

using agdf::Json;
namespace engine = agdf::engine;
namespace metrics = agdf::metrics;

std::shared_ptr<const engine::Plan> linear_plan(std::int64_t items) {
  static const agdf::Registry registry = [] {
    agdf::Registry r;
    agdf::register_builtin_nodes(r);
    return r;
  }();
  const Json graph = {
      {"nodes",
       {{{"name", "source"}, {"function", "range"}, {"config", {{"stop", items}}}},
        {{"name", "relay"}, {"function", "echo"}},
        {{"name", "sink"}, {"function", "discard"}}}},
      {"edges", Json::array({Json::array({"source", "relay"}), Json::array({"relay", "sink"})})}};
  auto validation = engine::validate(engine::parse_graph(graph), registry);
  if (!validation.plan) throw std::runtime_error(validation.problems.at(0).to_string());
  return validation.plan;
}

/// What the daemon's own observer does in this comparison: nothing.
class NoObserver final : public engine::RunObserver {};

/// range -> echo -> discard on one thread, with stats snapshots every 250 ms as the
/// daemon's default; arg 1 attaches the metrics observer, 0 does not. Both arms run in
/// the same process, alternately, so they share the machine's mood.
void BM_EngineWithMetrics(benchmark::State& state) {
  const bool with_metrics = state.range(0) == 1;
  const std::int64_t items = 1'000'000;
  auto plan = linear_plan(items);
  metrics::Registry registry;
  metrics::DaemonMetrics daemon_metrics(registry);
  metrics::FunctionSeriesCache series(daemon_metrics);
  for (auto _ : state) {
    boost::asio::io_context io(1);
    boost::asio::thread_pool blocking(1);
    engine::Engine eng(io.get_executor(), blocking.get_executor());
    engine::RunOptions options;
    options.stats_interval = std::chrono::milliseconds(250);
    std::shared_ptr<engine::RunObserver> observer =
        with_metrics ? std::shared_ptr<engine::RunObserver>(
                           std::make_shared<metrics::RunMetrics>(daemon_metrics, series, *plan))
                     : std::make_shared<NoObserver>();
    eng.start(plan, std::move(options), observer);
    io.run();
  }
  state.SetItemsProcessed(state.iterations() * items);
  state.SetLabel(with_metrics ? "metrics on" : "metrics off");
}
BENCHMARK(BM_EngineWithMetrics)->Arg(0)->Arg(1)->Unit(benchmark::kMillisecond)->UseRealTime();

/// The daemon's registry after 10,000 finished runs over 100 functions: every family
/// with its series filled in, as a long-running daemon's would be.
void fill(metrics::DaemonMetrics& m) {
  const char* states[] = {"completed", "halted", "cancelled", "failed"};
  const char* methods[] = {"/agdf.v1.Agdf/SubmitRun",    "/agdf.v1.Agdf/WatchRun",
                           "/agdf.v1.Agdf/GetRun",       "/agdf.v1.Agdf/ListRuns",
                           "/agdf.v1.Agdf/CancelRun",    "/agdf.v1.Agdf/ListFunctions",
                           "/agdf.v1.Agdf/ValidateGraph"};
  for (int run = 0; run < 10'000; ++run) {
    const char* state = states[run % 4];
    m.runs_submitted.inc();
    m.runs_finished.with({state}).inc();
    m.run_duration.with({state}).observe(0.001 * (run % 5000));
    m.events_written.inc(12);
    for (const char* method : methods) {
      m.grpc_requests.with({method, "OK"}).inc();
      m.grpc_duration.with({method}).observe(0.0002 * (run % 50));
    }
  }
  for (int f = 0; f < 100; ++f) {
    const std::string function = "function_" + std::to_string(f);
    m.items_in.with({function}).inc(1000 * f);
    m.items_out.with({function}).inc(1000 * f);
    m.errors.with({function}).inc(f);
    m.queue_depth.with({function}).add(0);
    m.active_calls.with({function}).add(0);
    m.worker_calls_in_flight.with({function}).add(0);
  }
  m.runs_refused.with({"invalid"}).inc(3);
  m.runs_refused.with({"queue_full"}).inc(2);
}

void BM_RenderMetrics(benchmark::State& state) {
  metrics::Registry registry;
  metrics::DaemonMetrics m(registry);
  std::size_t running = 7, queued = 3;
  registry.callback_gauge("agdf_runs_running", "Runs executing now.",
                          [&running] { return static_cast<double>(running); });
  registry.callback_gauge("agdf_runs_queued", "Runs waiting.",
                          [&queued] { return static_cast<double>(queued); });
  fill(m);
  std::size_t bytes = 0;
  for (auto _ : state) {
    std::string text = registry.render();
    bytes = text.size();
    benchmark::DoNotOptimize(text);
  }
  state.counters["bytes"] = static_cast<double>(bytes);
}
BENCHMARK(BM_RenderMetrics)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
