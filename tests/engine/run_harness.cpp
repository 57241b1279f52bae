#include "engine/run_harness.hpp"

#include <stdexcept>

#include <boost/asio/io_context.hpp>
#include <boost/asio/thread_pool.hpp>

#include "agdf/engine/graph_file.hpp"
#include "agdf/engine/validate.hpp"
#include "agdf/nodes/builtin.hpp"

namespace agdf::test {

const engine::NodeReport& Recording::node(std::string_view name) const {
  if (!result) throw std::runtime_error("the run did not finish");
  for (const auto& n : result->nodes)
    if (n.name == name) return n;
  throw std::runtime_error("the run has no node '" + std::string(name) + "'");
}

engine::RunStatus Recording::status() const {
  if (!result) throw std::runtime_error("the run did not finish");
  return result->status;
}

std::vector<std::string> Recording::logs_of(std::string_view name) const {
  std::vector<std::string> lines;
  for (const auto& [node, line] : logs)
    if (node == name) lines.push_back(line);
  return lines;
}

void RecordingObserver::on_started(std::span<const engine::StartCall> starts) {
  recording_.started.assign(starts.begin(), starts.end());
}

void RecordingObserver::on_stats(std::span<const engine::NodeSnapshot> nodes) {
  recording_.snapshots.emplace_back(nodes.begin(), nodes.end());
  if (on_stats_hook) on_stats_hook(nodes);
}

void RecordingObserver::on_node_error(const std::string& node, const engine::ErrorRecord& error) {
  recording_.errors.emplace_back(node, error);
}

void RecordingObserver::on_log(const std::string& node, const std::string& line) {
  recording_.logs.emplace_back(node, line);
}

void RecordingObserver::on_output(const std::string& node, const Item& item) {
  recording_.outputs.emplace_back(node, item);
}

void RecordingObserver::on_retry(const std::string& node, std::int64_t attempt,
                                 const engine::ErrorRecord& error, std::chrono::milliseconds) {
  recording_.retries.emplace_back(node, attempt, error);
}

void RecordingObserver::on_finished(const engine::RunResult& result) {
  ++recording_.finished_calls;
  recording_.result = result;
  if (on_finished_hook) on_finished_hook(result);
}

Registry builtin_registry() {
  Registry registry;
  register_builtin_nodes(registry);
  return registry;
}

std::vector<std::string> problems_of(std::string_view graph_json, const Registry& registry) {
  auto validation = engine::validate(engine::parse_graph_text(graph_json), registry);
  std::vector<std::string> problems;
  for (const auto& p : validation.problems) problems.push_back(p.to_string());
  return problems;
}

std::shared_ptr<const engine::Plan> plan_of(std::string_view graph_json, const Registry& registry) {
  auto validation = engine::validate(engine::parse_graph_text(graph_json), registry);
  if (!validation.plan) {
    std::string message = "invalid graph:";
    for (const auto& p : validation.problems) message += "\n  " + p.to_string();
    throw std::runtime_error(message);
  }
  return validation.plan;
}

Recording run_plan(std::shared_ptr<const engine::Plan> plan, engine::RunOptions options,
                   std::shared_ptr<RecordingObserver> observer) {
  if (!observer) observer = std::make_shared<RecordingObserver>();
  boost::asio::io_context io(1);
  boost::asio::thread_pool blocking(1);
  engine::Engine engine(io.get_executor(), blocking.get_executor());
  auto run = engine.start(std::move(plan), std::move(options), observer);
  io.run_for(kRunTimeout);
  const bool timed_out = !observer->recording().result;
  if (timed_out) {  // clean up, then fail: a hung run must not hang the suite
    run->cancel();
    io.restart();
    io.run_for(std::chrono::seconds(2));
  }
  blocking.join();
  if (timed_out) throw std::runtime_error("the run did not finish within the safety timeout");
  return observer->recording();
}

Recording run_plan(std::shared_ptr<const engine::Plan> plan) {
  return run_plan(std::move(plan), engine::RunOptions{});
}

Recording run_graph(std::string_view graph_json, const Registry& registry,
                    engine::RunOptions options) {
  return run_plan(plan_of(graph_json, registry), std::move(options));
}

Recording run_graph(std::string_view graph_json, engine::RunOptions options) {
  return run_graph(graph_json, builtin_registry(), std::move(options));
}

Recording run_graph(std::string_view graph_json, const Registry& registry) {
  return run_graph(graph_json, registry, engine::RunOptions{});
}

Recording run_graph(std::string_view graph_json) {
  return run_graph(graph_json, builtin_registry(), engine::RunOptions{});
}

}  // namespace agdf::test
