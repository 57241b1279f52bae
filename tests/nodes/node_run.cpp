#include "nodes/node_run.hpp"

namespace agdf::test {
namespace {

Json node(const std::string& name, const std::string& function, const Json& config) {
  return Json::object({{"name", name}, {"function", function}, {"config", config}});
}

NodeRun run_with_capture(const Json& graph) {
  engine::RunOptions options;
  options.capture = {"node"};
  NodeRun result;
  result.run = run_graph(graph.dump(), options);
  for (const auto& [node, item] : result.run.outputs)
    if (node == "node") result.yields.push_back(item);
  result.logs = result.run.logs_of("node");
  result.errors = result.run.node("node").errors;
  result.stats = result.run.stats("node");
  return result;
}

}  // namespace

NodeRun feed(const std::string& function, const Json& config, const Json& inputs) {
  Json graph = Json::object();
  graph["nodes"] = Json::array(
      {node("src", "values", Json::object({{"values", inputs}})), node("node", function, config)});
  graph["edges"] = Json::array({Json::array({"src", "node"})});
  return run_with_capture(graph);
}

NodeRun start(const std::string& function, const Json& config, const Json& args) {
  Json graph = Json::object();
  graph["nodes"] = Json::array({node("node", function, config)});
  graph["start_nodes"] = Json::object();
  graph["start_nodes"]["node"] = args;
  return run_with_capture(graph);
}

std::vector<std::string> config_problems(const std::string& function, const Json& config) {
  Json graph = Json::object();
  graph["nodes"] = Json::array({node("n", function, config)});
  return problems_of(graph.dump(), builtin_registry());
}

}  // namespace agdf::test
