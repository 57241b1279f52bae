#include "agdf/engine/validate.hpp"

#include <algorithm>
#include <map>
#include <set>

#include "agdf/engine/graph_bounds.hpp"
#include "agdf/nodes/json_text.hpp"
#include "agdf/nodes/quote.hpp"

namespace agdf::engine {
namespace {

/// Finds one cycle with an iterative depth-first search (a client chooses how long a chain
/// of nodes is, so the search must not recurse per node) and returns its nodes in order,
/// first node repeated at the end; empty when the graph is acyclic.
std::vector<std::size_t> find_cycle(const std::vector<std::vector<std::size_t>>& out) {
  enum class Mark { unvisited, on_stack, done };
  std::vector<Mark> mark(out.size(), Mark::unvisited);
  // The path being explored: each node with the index of its next edge to follow.
  std::vector<std::pair<std::size_t, std::size_t>> path;
  for (std::size_t root = 0; root < out.size(); ++root) {
    if (mark[root] != Mark::unvisited) continue;
    mark[root] = Mark::on_stack;
    path.emplace_back(root, 0);
    while (!path.empty()) {
      auto& [n, next] = path.back();
      if (next == out[n].size()) {
        mark[n] = Mark::done;
        path.pop_back();
        continue;
      }
      const std::size_t d = out[n][next++];
      if (mark[d] == Mark::on_stack) {
        std::vector<std::size_t> cycle;
        auto from =
            std::find_if(path.begin(), path.end(), [d](const auto& p) { return p.first == d; });
        for (auto it = from; it != path.end(); ++it) cycle.push_back(it->first);
        cycle.push_back(d);
        return cycle;
      }
      if (mark[d] == Mark::unvisited) {
        mark[d] = Mark::on_stack;
        path.emplace_back(d, 0);
      }
    }
  }
  return {};
}

/// "a -> b -> a", or for a long cycle its first and last few nodes and its length.
std::string describe_cycle(const std::vector<std::size_t>& cycle, const Plan& plan) {
  constexpr std::size_t kShown = 5;
  std::string path;
  for (std::size_t i = 0; i < cycle.size(); ++i) {
    if (cycle.size() > 2 * kShown + 1 && i == kShown) {
      path += " -> ...";
      i = cycle.size() - kShown - 1;
      continue;
    }
    path += (path.empty() ? "" : " -> ") + shorten(plan.nodes[cycle[i]].spec.name);
  }
  if (cycle.size() > 2 * kShown + 1) path += " (" + std::to_string(cycle.size() - 1) + " nodes)";
  return path;
}

/// "FIELD must be at least LOW" / "FIELD must be at most HIGH": the bound that was crossed.
void check_range(std::int64_t value, std::int64_t low, std::int64_t high, const std::string& field,
                 const std::string& where, Problems& problems) {
  if (value < low)
    problems.push_back({where, field + " must be at least " + std::to_string(low)});
  else if (value > high)
    problems.push_back({where, field + " must be at most " + std::to_string(high)});
}

void check_milliseconds(std::int64_t value, const std::string& field, const std::string& where,
                        Problems& problems) {
  if (value < 0)
    problems.push_back({where, field + " must be >= 0"});
  else if (value > kMaxMilliseconds)
    problems.push_back({where, field + " must be " + max_milliseconds_text()});
}

void check_options(const NodeSpec& node, const std::string& where, Problems& problems) {
  check_range(node.max_tasks, 1, bounds::kMaxTasks, "max_tasks", where, problems);
  check_range(node.queue_size, 1, bounds::kQueueSize, "queue_size", where, problems);
  check_milliseconds(node.timeout_ms, "timeout_ms", where, problems);
  check_range(node.retry.attempts, 1, bounds::kRetryAttempts, "retry.attempts", where, problems);
  check_milliseconds(node.retry.backoff_ms, "retry.backoff_ms", where, problems);
  check_milliseconds(node.retry.max_backoff_ms, "retry.max_backoff_ms", where, problems);
}

/// A name is what messages, events and logs repeat for every item: it must be short.
void check_name(const std::string& name, const char* what, const std::string& where,
                Problems& problems) {
  if (name.size() > bounds::kNameBytes)
    problems.push_back({where, std::string(what) + " is " + std::to_string(name.size()) +
                                   " bytes long; at most " + std::to_string(bounds::kNameBytes)});
}

/// The JSON values of a node, checked for depth before anything copies them (a copy
/// recurses once per level). A value too deep is a problem and is left out of the copy.
NodeSpec checked_copy(const NodeSpec& node, const std::string& where, Problems& problems) {
  const auto deep = [&](const Json& value, const char* field) {
    if (within_depth(value)) return false;
    problems.push_back({where, std::string(field) + " nests deeper than " +
                                   std::to_string(kMaxJsonDepth) + " levels"});
    return true;
  };
  const bool deep_config = deep(node.config, "config");
  const bool deep_queue = deep(node.queue, "queue");
  if (!deep_config && !deep_queue) return node;
  NodeSpec copy;
  copy.name = node.name;
  copy.function = node.function;
  if (!deep_config) copy.config = node.config;
  if (!deep_queue) copy.queue = node.queue;
  copy.max_tasks = node.max_tasks;
  copy.queue_size = node.queue_size;
  copy.unpack_input = node.unpack_input;
  copy.halt_on_exception = node.halt_on_exception;
  copy.retry = node.retry;
  copy.timeout_ms = node.timeout_ms;
  return copy;
}

/// Queue kinds are checked once the edges are known: zip needs to know the sources.
void prepare_queues(Plan& plan, const QueueKindRegistry& kinds, Problems& problems) {
  for (PlannedNode& node : plan.nodes) {
    QueueNodeInfo info{node.spec.name, {}};
    for (std::size_t s : node.sources) info.sources.push_back(plan.nodes[s].spec.name);
    node.queue = kinds.prepare(node.spec.queue, info);
    for (auto& p : node.queue.problems)
      problems.push_back({"node " + quote(node.spec.name), std::move(p)});
  }
}

/// Checks the graph's size against the bounds first: past them nothing else is looked at,
/// so an oversized graph costs no more than reading it.
bool within_size(const GraphSpec& spec, Problems& problems) {
  if (spec.nodes.size() > bounds::kNodes)
    problems.push_back({"graph", "the graph has " + std::to_string(spec.nodes.size()) +
                                     " nodes; at most " + std::to_string(bounds::kNodes)});
  if (spec.edges.size() > bounds::kEdges)
    problems.push_back({"graph", "the graph has " + std::to_string(spec.edges.size()) +
                                     " edges; at most " + std::to_string(bounds::kEdges)});
  return spec.nodes.size() <= bounds::kNodes && spec.edges.size() <= bounds::kEdges;
}

void resolve_starts(const GraphSpec& spec,
                    const std::map<std::string, std::size_t, std::less<>>& index, Plan& plan,
                    Problems& problems) {
  if (spec.start_nodes.empty()) {
    for (std::size_t n = 0; n < plan.nodes.size(); ++n)
      if (plan.nodes[n].sources.empty()) plan.starts.push_back({n, {}});
    return;
  }
  std::set<std::string_view> named;
  for (const StartCall& start : spec.start_nodes) {
    auto it = index.find(start.node);
    if (it == index.end()) {
      problems.push_back({"start_nodes", "the graph doesn't have the node " + quote(start.node)});
    } else if (!named.insert(start.node).second) {
      problems.push_back({"start_nodes", "the node " + quote(start.node) +
                                             " is named twice; a start node is called once"});
    } else if (!std::all_of(start.args.begin(), start.args.end(),
                            [](const Json& a) { return within_depth(a, kMaxJsonDepth - 1); })) {
      problems.push_back({"start_nodes", "the arguments of " + quote(start.node) +
                                             " nest deeper than " + std::to_string(kMaxJsonDepth) +
                                             " levels"});
    } else {
      plan.starts.push_back({it->second, start.args});
    }
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

  check_range(spec.max_exceptions, 1, bounds::kMaxExceptions, "max_exceptions", "graph", problems);
  plan->max_exceptions = static_cast<std::size_t>(
      std::clamp<std::int64_t>(spec.max_exceptions, 1, bounds::kMaxExceptions));
  if (spec.nodes.empty()) problems.push_back({"graph", "the graph has no nodes"});
  if (!within_size(spec, problems)) return result;

  std::map<std::string, std::size_t, std::less<>> index;
  for (std::size_t i = 0; i < spec.nodes.size(); ++i) {
    const NodeSpec& node = spec.nodes[i];
    const std::string where = node.name.size() > bounds::kNameBytes
                                  ? "nodes[" + std::to_string(i) + "]"
                                  : "node " + quote(node.name);
    if (node.name.empty())
      problems.push_back({"graph", "a node has an empty name"});
    else if (!index.emplace(node.name, plan->nodes.size()).second)
      problems.push_back({where, "duplicate node name"});
    check_name(node.name, "the node name", where, problems);
    check_name(node.function, "the function name", where, problems);
    check_options(node, where, problems);

    PlannedNode planned{checked_copy(node, where, problems), {}, {}, {}, {}, {}, {}};
    if (const FunctionDef* def = registry.find(node.function); def == nullptr) {
      problems.push_back({where, "unknown function " + quote(node.function)});
    } else {
      Prepared prepared = registry.prepare(*def, planned.spec.config, context);
      for (auto& p : prepared.problems) problems.push_back({where, std::move(p)});
      if (prepared.function) {
        planned.params = params_of(*def, *prepared.function);
        planned.function = std::move(*prepared.function);
      }
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
    if (from == index.end()) problems.push_back({where, "unknown source node " + quote(edge.from)});
    if (to == index.end())
      problems.push_back({where, "unknown destination node " + quote(edge.to)});
    if (from == index.end() || to == index.end()) continue;
    if (!seen_edges.emplace(from->second, to->second).second) {
      problems.push_back({where, "duplicate edge " + quote(edge.from) + " -> " + quote(edge.to)});
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
  prepare_queues(*plan, queue_kinds, problems);

  if (auto cycle = find_cycle(out); !cycle.empty())
    problems.push_back({"edges", "cycle: " + describe_cycle(cycle, *plan)});

  resolve_starts(spec, index, *plan, problems);

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
    // A set, not a scan per name: a request may name a million nodes against ten thousand.
    std::set<std::string_view> known;
    for (const NodeSpec& node : request.graph.spec->nodes) known.insert(node.name);
    auto check = [&](const std::vector<std::string>& names, const char* where) {
      for (const std::string& name : names)
        if (!known.contains(name))
          result.problems.push_back({where, "the graph doesn't have the node " + quote(name)});
    };
    check(request.options.capture, "capture");
    check(request.options.data_flow_log.nodes, "logging.nodes");
  }
  if (result.problems.empty())
    result.run = ValidatedRun{std::move(graph.plan), std::move(request.options)};
  return result;
}

}  // namespace agdf::engine
