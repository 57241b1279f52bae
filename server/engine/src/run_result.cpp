#include "agdf/engine/run_result.hpp"

#include "agdf/engine/run_options.hpp"

namespace agdf::engine {

std::string_view to_string(RunStatus status) noexcept {
  switch (status) {
    case RunStatus::running:
      return "running";
    case RunStatus::completed:
      return "completed";
    case RunStatus::halted:
      return "halted";
    case RunStatus::cancelled:
      return "cancelled";
    case RunStatus::failed:
      return "failed";
  }
  return "unknown";
}

Json to_json(const RunResult& result) {
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
  Json out = {{"status", to_string(result.status)},
              {"start_nodes", std::move(start)},
              {"stats", std::move(stats)},
              {"exceptions", std::move(exceptions)}};
  if (!dropped.empty()) out["dropped"] = std::move(dropped);
  if (!result.failure.empty()) out["failure"] = result.failure;
  return out;
}

std::string format_data_flow_line(const std::string& format, const std::string& node,
                                  std::uint64_t in, std::uint64_t out, std::uint64_t err) {
  std::string line;
  line.reserve(format.size() + node.size() + 16);
  for (std::size_t i = 0; i < format.size(); ++i) {
    auto placeholder = [&](std::string_view name) {
      return format.compare(i, name.size(), name) == 0 ? name.size() : 0;
    };
    if (std::size_t n = placeholder("{node}"))
      line += node, i += n - 1;
    else if ((n = placeholder("{in}")))
      line += std::to_string(in), i += n - 1;
    else if ((n = placeholder("{out}")))
      line += std::to_string(out), i += n - 1;
    else if ((n = placeholder("{err}")))
      line += std::to_string(err), i += n - 1;
    else
      line += format[i];
  }
  return line;
}

}  // namespace agdf::engine
