#include "agdf/service/convert.hpp"

#include <algorithm>

#include "agdf/nodes/json_text.hpp"
#include "agdf/nodes/quote.hpp"

namespace agdf::service {
namespace {

/// Parses `text` as JSON with the bounded reader (UTF-8, nesting, duplicate keys, syntax);
/// empty text gives `empty`. On failure adds a problem naming the field and the place.
std::optional<Json> parse_field(const std::string& text, const Json& empty, std::string where,
                                const char* field, engine::Problems& problems) {
  if (text.empty()) return empty;
  JsonRead read = read_json_text(text);
  if (read.error) {
    problems.push_back(
        {std::move(where), std::string(field) + " is not valid JSON: " + read.error->to_string()});
    return std::nullopt;
  }
  return std::move(read.value);
}

/// A millisecond option of a submission, within [0, 30 days].
std::chrono::milliseconds checked_ms(std::uint32_t ms, const char* field,
                                     engine::Problems& problems) {
  if (ms > kMaxMilliseconds)
    problems.push_back({field, std::string(field) + " must be " + max_milliseconds_text()});
  return clamp_duration(std::chrono::milliseconds(ms));
}

/// The longest data-flow log format a submission may set; it is rendered for every line.
constexpr std::size_t kMaxLogFormatBytes = 1024;

/// A run's labels are stored with it and repeated in every GetRun and ListRuns answer.
constexpr int kMaxLabels = 64;
constexpr std::size_t kMaxLabelKeyBytes = 256;
constexpr std::size_t kMaxLabelValueBytes = 1024;

void check_labels(const google::protobuf::Map<std::string, std::string>& labels,
                  engine::Problems& problems) {
  if (static_cast<int>(labels.size()) > kMaxLabels) {
    problems.push_back({"labels", std::to_string(labels.size()) + " labels; at most " +
                                      std::to_string(kMaxLabels)});
    return;
  }
  for (const auto& [key, value] : labels) {
    if (key.size() > kMaxLabelKeyBytes)
      problems.push_back({"labels", "the key " + quote(key) + " is " + std::to_string(key.size()) +
                                        " bytes long; at most " +
                                        std::to_string(kMaxLabelKeyBytes)});
    else if (value.size() > kMaxLabelValueBytes)
      problems.push_back({"labels", "the value of " + quote(key) + " is " +
                                        std::to_string(value.size()) + " bytes long; at most " +
                                        std::to_string(kMaxLabelValueBytes)});
  }
}

std::optional<Json::array_t> parse_args(const v1::StartNode& start, std::size_t index,
                                        const char* list, engine::Problems& problems) {
  std::string where = std::string(list) + "[" + std::to_string(index) + "]";
  auto args = parse_field(start.args_json(), Json::array(), where, "args_json", problems);
  if (!args) return std::nullopt;
  if (!args->is_array()) {
    problems.push_back({std::move(where), "args_json must be a JSON array of arguments"});
    return std::nullopt;
  }
  return args->get<Json::array_t>();
}

engine::NodeSpec to_node_spec(const v1::Node& node, std::size_t index, engine::Problems& problems) {
  engine::NodeSpec spec;
  spec.name = node.name();
  spec.function = node.function();
  const std::string where =
      node.name().empty() ? "nodes[" + std::to_string(index) + "]" : "node " + quote(node.name());
  if (auto config =
          parse_field(node.config_json(), Json::object(), where, "config_json", problems)) {
    if (config->is_object())
      spec.config = std::move(*config);
    else
      problems.push_back({where, "config_json must be a JSON object"});
  }
  if (node.has_max_tasks()) spec.max_tasks = node.max_tasks();
  if (node.has_queue_size()) spec.queue_size = node.queue_size();
  if (node.has_unpack_input()) spec.unpack_input = node.unpack_input();
  if (node.has_halt_on_exception()) spec.halt_on_exception = node.halt_on_exception();
  if (auto queue = parse_field(node.queue_json(), Json(), where, "queue_json", problems))
    spec.queue = std::move(*queue);
  if (node.has_retry()) {
    spec.retry.attempts = node.retry().attempts();
    spec.retry.backoff_ms = node.retry().backoff_ms();
    spec.retry.max_backoff_ms = node.retry().max_backoff_ms();
  }
  if (node.has_timeout_ms()) spec.timeout_ms = node.timeout_ms();
  return spec;
}

engine::ParsedGraph from_graph(const v1::Graph& graph) {
  engine::ParsedGraph parsed;
  engine::GraphSpec spec;
  for (int i = 0; i < graph.nodes_size(); ++i)
    spec.nodes.push_back(
        to_node_spec(graph.nodes(i), static_cast<std::size_t>(i), parsed.problems));
  for (int i = 0; i < graph.edges_size(); ++i) {
    const v1::Edge& edge = graph.edges(i);
    auto when = parse_field(edge.when_json(), Json(), "edges[" + std::to_string(i) + "]",
                            "when_json", parsed.problems);
    spec.edges.push_back({edge.from(), edge.to(), when ? std::move(*when) : Json()});
  }
  spec.halt_on_exception = graph.halt_on_exception();
  for (int i = 0; i < graph.start_nodes_size(); ++i)
    if (auto args = parse_args(graph.start_nodes(i), static_cast<std::size_t>(i), "start_nodes",
                               parsed.problems))
      spec.start_nodes.push_back({graph.start_nodes(i).node(), std::move(*args)});
  if (graph.has_max_exceptions()) spec.max_exceptions = graph.max_exceptions();
  parsed.spec = std::move(spec);
  return parsed;
}

}  // namespace

engine::ParsedGraph to_parsed_graph(const v1::GraphDefinition& definition) {
  switch (definition.source_case()) {
    case v1::GraphDefinition::kGraph:
      return from_graph(definition.graph());
    case v1::GraphDefinition::kGraphJson:
      return engine::parse_graph_text(definition.graph_json(), "graph_json");
    case v1::GraphDefinition::SOURCE_NOT_SET:
      break;
  }
  engine::ParsedGraph parsed;
  parsed.problems.push_back({"definition", "no graph given: set graph or graph_json"});
  return parsed;
}

engine::RunRequest to_run_request(const v1::SubmitRunRequest& request) {
  engine::RunRequest run{to_parsed_graph(request.definition()), {}};
  if (engine::ParsedGraph& parsed = run.graph; parsed.spec) {
    if (request.start_nodes_size() > 0) {
      parsed.spec->start_nodes.clear();
      for (int i = 0; i < request.start_nodes_size(); ++i)
        if (auto args = parse_args(request.start_nodes(i), static_cast<std::size_t>(i),
                                   "start_nodes", parsed.problems))
          parsed.spec->start_nodes.push_back({request.start_nodes(i).node(), std::move(*args)});
    }
    if (request.has_max_exceptions()) parsed.spec->max_exceptions = request.max_exceptions();
  }

  engine::RunOptions& options = run.options;
  engine::Problems& problems = run.graph.problems;
  options.stats_interval =
      request.has_stats_interval_ms()
          ? checked_ms(request.stats_interval_ms(), "stats_interval_ms", problems)
          : kDefaultStatsInterval;
  options.capture.assign(request.capture().begin(), request.capture().end());
  const v1::DataFlowLogging& logging = request.logging();
  options.data_flow_log.enabled = logging.enabled();
  if (logging.interval_ms() > 0)
    options.data_flow_log.interval =
        checked_ms(logging.interval_ms(), "logging.interval_ms", problems);
  if (logging.format().size() > kMaxLogFormatBytes)
    problems.push_back(
        {"logging.format", "logging.format is " + std::to_string(logging.format().size()) +
                               " bytes long; at most " + std::to_string(kMaxLogFormatBytes)});
  else if (!logging.format().empty())
    options.data_flow_log.format = logging.format();
  options.data_flow_log.nodes.assign(logging.nodes().begin(), logging.nodes().end());
  check_labels(request.labels(), problems);
  return run;
}

v1::FunctionInfo to_proto(const FunctionDef& def) {
  v1::FunctionInfo info;
  info.set_name(def.name);
  info.set_description(def.description);
  for (const Param& param : def.params) {
    v1::Param* p = info.add_params();
    p->set_name(param.name);
    if (param.default_value) p->set_default_json(to_json_text(*param.default_value));
  }
  for (const ConfigKey& key : def.config_keys) {
    v1::ConfigKey* k = info.add_config_keys();
    k->set_name(key.name);
    k->set_description(key.description);
    k->set_example_json(to_json_text(key.example));
    k->set_required(key.required);
  }
  if (def.workers) {
    info.set_remote(true);
    for (const std::string& worker : *def.workers) info.add_workers(valid_utf8(worker));
  }
  return info;
}

v1::Problem to_proto(const engine::Problem& problem) {
  v1::Problem p;
  p.set_where(valid_utf8(problem.where));
  p.set_message(valid_utf8(problem.message));
  return p;
}

v1::StartNode to_proto(const engine::StartCall& start) {
  v1::StartNode s;
  s.set_node(start.node);
  s.set_args_json(to_json_text(Json(start.args)));
  return s;
}

v1::NodeStats to_proto(const engine::NodeSnapshot& node) {
  v1::NodeStats s;
  s.set_node(node.name);
  s.set_in(node.stats.in);
  s.set_out(node.stats.out);
  s.set_err(node.stats.err);
  s.set_queued(node.queued);
  s.set_active(node.active_calls);
  return s;
}

v1::RunState to_proto(engine::RunStatus status) {
  switch (status) {
    case engine::RunStatus::running:
      return v1::RUN_STATE_RUNNING;
    case engine::RunStatus::completed:
      return v1::RUN_STATE_COMPLETED;
    case engine::RunStatus::halted:
      return v1::RUN_STATE_HALTED;
    case engine::RunStatus::cancelled:
      return v1::RUN_STATE_CANCELLED;
    case engine::RunStatus::failed:
      return v1::RUN_STATE_FAILED;
  }
  return v1::RUN_STATE_UNSPECIFIED;
}

void fill_final(const engine::RunResult& result, v1::RunFinished& finished) {
  finished.set_state(to_proto(result.status));
  finished.set_failure(valid_utf8(result.failure));
  for (const engine::NodeReport& node : result.nodes) {
    v1::NodeStats* s = finished.add_stats();
    s->set_node(node.name);
    s->set_in(node.stats.in);
    s->set_out(node.stats.out);
    s->set_err(node.stats.err);
    s->set_dropped(node.dropped);
    v1::NodeErrors* errors = finished.add_exceptions();
    errors->set_node(node.name);
    for (const engine::ErrorRecord& e : node.errors) {
      v1::ErrorRecord* r = errors->add_errors();
      r->set_type(valid_utf8(e.type));
      r->set_message(valid_utf8(e.message));
    }
  }
}

void fill_zero_stats(const engine::Plan& plan,
                     google::protobuf::RepeatedPtrField<v1::NodeStats>& stats) {
  for (const engine::PlannedNode& node : plan.nodes) stats.Add()->set_node(node.spec.name);
}

void fill_start_nodes(const engine::Plan& plan,
                      google::protobuf::RepeatedPtrField<v1::StartNode>& starts) {
  for (const engine::PlannedStart& start : plan.starts)
    *starts.Add() = to_proto(engine::StartCall{plan.nodes[start.node].spec.name, start.args});
}

std::string to_json_text(const Json& value) {
  return value.dump(-1, ' ', false, Json::error_handler_t::replace);
}

std::string valid_utf8(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  const auto* s = reinterpret_cast<const unsigned char*>(text.data());
  const std::size_t n = text.size();
  for (std::size_t i = 0; i < n;) {
    unsigned char c = s[i];
    std::size_t len = c < 0x80           ? 1
                      : (c >> 5) == 0x6  ? 2
                      : (c >> 4) == 0xE  ? 3
                      : (c >> 3) == 0x1E ? 4
                                         : 0;
    bool ok = len > 0 && i + len <= n;
    for (std::size_t k = 1; ok && k < len; ++k) ok = (s[i + k] & 0xC0) == 0x80;
    if (ok && len > 1) {
      std::uint32_t cp = c & (0xFF >> (len + 1));
      for (std::size_t k = 1; k < len; ++k) cp = (cp << 6) | (s[i + k] & 0x3F);
      static constexpr std::uint32_t kMin[] = {0, 0, 0x80, 0x800, 0x10000};
      ok = cp >= kMin[len] && cp <= 0x10FFFF && !(cp >= 0xD800 && cp <= 0xDFFF);
    }
    if (ok) {
      out.append(text.substr(i, len));
      i += len;
    } else {
      out += "\xEF\xBF\xBD";
      ++i;
    }
  }
  return out;
}

std::int64_t unix_ms_now() {
  using namespace std::chrono;
  return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

}  // namespace agdf::service
