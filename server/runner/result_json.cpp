#include "result_json.hpp"

#include "agdf/service/convert.hpp"

namespace agdf::server {

std::string_view status_name(engine::RunStatus status) {
  return service::state_name(service::to_proto(status));
}

Json result_json(const engine::RunResult& result) {
  Json start = Json::object();
  for (const auto& s : result.start_nodes) start[s.node] = s.args;
  Json stats = Json::object();
  Json exceptions = Json::object();
  for (const auto& node : result.nodes) {
    stats[node.name] = {{"in", node.stats.in}, {"out", node.stats.out}, {"err", node.stats.err}};
    Json errors = Json::array();
    for (const auto& e : node.errors) errors.push_back({{"type", e.type}, {"message", e.message}});
    exceptions[node.name] = std::move(errors);
  }
  Json dropped = Json::object();
  for (const auto& node : result.nodes)
    if (node.dropped > 0) dropped[node.name] = node.dropped;
  Json out = {{"status", status_name(result.status)},
              {"start_nodes", std::move(start)},
              {"stats", std::move(stats)},
              {"exceptions", std::move(exceptions)}};
  if (!dropped.empty()) out["dropped"] = std::move(dropped);
  if (!result.failure.empty()) out["failure"] = result.failure;
  return out;
}

}  // namespace agdf::server
