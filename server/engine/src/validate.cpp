#include "agdf/engine/validate.hpp"

#include <algorithm>
#include <map>
#include <set>

namespace agdf::engine {
namespace {

std::string quoted(const std::string& name) {
  return "'" + name + "'";
}

/// Finds one cycle with a depth-first search and returns its nodes in order, first
/// node repeated at the end; empty when the graph is acyclic.
std::vector<std::size_t> find_cycle(const std::vector<std::vector<std::size_t>>& out) {
  enum class Mark { unvisited, on_stack, done };
  std::vector<Mark> mark(out.size(), Mark::unvisited);
  std::vector<std::size_t> stack;
  std::vector<std::size_t> cycle;

  auto visit = [&](auto& self, std::size_t n) -> bool {
    mark[n] = Mark::on_stack;
    stack.push_back(n);
    for (std::size_t d : out[n]) {
      if (mark[d] == Mark::on_stack) {
        auto from = std::find(stack.begin(), stack.end(), d);
        cycle.assign(from, stack.end());
        cycle.push_back(d);
        return true;
      }
      if (mark[d] == Mark::unvisited && self(self, d)) return true;
    }
    stack.pop_back();
    mark[n] = Mark::done;
    return false;
  };
  for (std::size_t n = 0; n < out.size(); ++n)
    if (mark[n] == Mark::unvisited && visit(visit, n)) break;
  return cycle;
}

void check_options(const NodeSpec& node, const std::string& where, Problems& problems) {
  if (node.max_tasks < 1) problems.push_back({where, "max_tasks must be at least 1"});
  if (node.queue_size < 1) problems.push_back({where, "queue_size must be at least 1"});
  if (node.timeout_ms < 0) problems.push_back({where, "timeout_ms must be >= 0"});
  if (node.retry.attempts < 1) problems.push_back({where, "retry.attempts must be at least 1"});
  if (node.retry.backoff_ms < 0) problems.push_back({where, "retry.backoff_ms must be >= 0"});
  if (node.retry.max_backoff_ms < 0)
    problems.push_back({where, "retry.max_backoff_ms must be >= 0"});
}

/// Queue kinds are checked once the edges are known: zip needs to know the sources.
void prepare_queues(const std::vector<NodeSpec>& specs, Plan& plan, const QueueKindRegistry& kinds,
                    Problems& problems) {
  for (std::size_t n = 0; n < plan.nodes.size(); ++n) {
    PlannedNode& node = plan.nodes[n];
    QueueNodeInfo info{node.spec.name, {}};
    for (std::size_t s : node.sources) info.sources.push_back(plan.nodes[s].spec.name);
    node.queue = kinds.prepare(specs[n].queue, info);
    for (auto& p : node.queue.problems)
      problems.push_back({"node '" + node.spec.name + "'", std::move(p)});
  }
}

}  // namespace

Validation validate(const GraphSpec& spec, const Registry& registry,
                    const ValidationContext& context, const QueueKindRegistry& queue_kinds) {
  Validation result;
  Problems& problems = result.problems;
  auto plan = std::make_shared<Plan>();
  plan->halt_on_exception = spec.halt_on_exception;
  plan->data_dir = context.data_dir;

  if (spec.max_exceptions < 1)
    problems.push_back({"graph", "max_exceptions must be at least 1"});
  else
    plan->max_exceptions = static_cast<std::size_t>(spec.max_exceptions);
  if (spec.nodes.empty()) problems.push_back({"graph", "the graph has no nodes"});

  std::map<std::string, std::size_t, std::less<>> index;
  for (const NodeSpec& node : spec.nodes) {
    const std::string where = "node " + quoted(node.name);
    if (node.name.empty())
      problems.push_back({"graph", "a node has an empty name"});
    else if (!index.emplace(node.name, plan->nodes.size()).second)
      problems.push_back({where, "duplicate node name"});
    check_options(node, where, problems);

    PlannedNode planned{node, {}, {}, {}, {}, {}};
    if (const FunctionDef* def = registry.find(node.function); def == nullptr) {
      problems.push_back({where, "unknown function " + quoted(node.function)});
    } else {
      Prepared prepared = registry.prepare(*def, node.config, context);
      for (auto& p : prepared.problems) problems.push_back({where, std::move(p)});
      if (prepared.function) planned.function = std::move(*prepared.function);
    }
    plan->nodes.push_back(std::move(planned));
  }

  std::vector<std::vector<std::size_t>> out(plan->nodes.size());
  std::set<std::pair<std::size_t, std::size_t>> seen_edges;
  for (std::size_t i = 0; i < spec.edges.size(); ++i) {
    const EdgeSpec& edge = spec.edges[i];
    const std::string where = "edges[" + std::to_string(i) + "]";
    auto from = index.find(edge.from);
    auto to = index.find(edge.to);
    if (from == index.end())
      problems.push_back({where, "unknown source node " + quoted(edge.from)});
    if (to == index.end())
      problems.push_back({where, "unknown destination node " + quoted(edge.to)});
    if (from == index.end() || to == index.end()) continue;
    if (!seen_edges.emplace(from->second, to->second).second) {
      problems.push_back({where, "duplicate edge " + quoted(edge.from) + " -> " + quoted(edge.to)});
      continue;
    }
    PlannedEdge planned{to->second, plan->nodes[to->second].sources.size(), std::nullopt};
    if (!edge.when.is_null()) {
      ParsedCondition when = parse_condition(edge.when);
      for (auto& p : when.problems) problems.push_back({where, "when: " + p});
      planned.when = std::move(when.condition);
    }
    out[from->second].push_back(to->second);
    plan->nodes[from->second].destinations.push_back(to->second);
    plan->nodes[from->second].out.push_back(std::move(planned));
    plan->nodes[to->second].sources.push_back(from->second);
  }
  prepare_queues(spec.nodes, *plan, queue_kinds, problems);

  if (auto cycle = find_cycle(out); !cycle.empty()) {
    std::string path;
    for (std::size_t n : cycle) path += (path.empty() ? "" : " -> ") + plan->nodes[n].spec.name;
    problems.push_back({"edges", "cycle: " + path});
  }

  if (spec.start_nodes.empty()) {
    for (std::size_t n = 0; n < plan->nodes.size(); ++n)
      if (plan->nodes[n].sources.empty()) plan->starts.push_back({n, {}});
  } else {
    for (const StartCall& start : spec.start_nodes) {
      auto it = index.find(start.node);
      if (it == index.end())
        problems.push_back(
            {"start_nodes", "the graph doesn't have the node " + quoted(start.node)});
      else
        plan->starts.push_back({it->second, start.args});
    }
  }

  if (problems.empty()) result.plan = std::move(plan);
  return result;
}

Validation validate(const ParsedGraph& parsed, const Registry& registry,
                    const ValidationContext& context, const QueueKindRegistry& queue_kinds) {
  Validation result;
  if (parsed.spec) result = validate(*parsed.spec, registry, context, queue_kinds);
  if (!parsed.problems.empty()) {
    result.plan.reset();
    result.problems.insert(result.problems.begin(), parsed.problems.begin(), parsed.problems.end());
  }
  return result;
}

RunValidation validate_run(RunRequest request, const Registry& registry,
                           const ValidationContext& context, const QueueKindRegistry& queue_kinds) {
  Validation graph = validate(request.graph, registry, context, queue_kinds);
  RunValidation result;
  result.problems = std::move(graph.problems);
  if (request.graph.spec) {
    const auto& nodes = request.graph.spec->nodes;
    auto check = [&](const std::vector<std::string>& names, const char* where) {
      for (const std::string& name : names)
        if (std::none_of(nodes.begin(), nodes.end(),
                         [&](const NodeSpec& node) { return node.name == name; }))
          result.problems.push_back({where, "the graph doesn't have the node " + quoted(name)});
    };
    check(request.options.capture, "capture");
    check(request.options.data_flow_log.nodes, "logging.nodes");
  }
  if (result.problems.empty())
    result.run = ValidatedRun{std::move(graph.plan), std::move(request.options)};
  return result;
}

}  // namespace agdf::engine
