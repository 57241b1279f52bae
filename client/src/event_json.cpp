#include "agdf/client/event_json.hpp"

#include <array>
#include <map>
#include <utility>

namespace agdf::client {
namespace {

using NodeStatsList = google::protobuf::RepeatedPtrField<v1::NodeStats>;
using NodeErrorsList = google::protobuf::RepeatedPtrField<v1::NodeErrors>;
using StartNodeList = google::protobuf::RepeatedPtrField<v1::StartNode>;

OrderedJson stats_json(const NodeStatsList& nodes) {
  OrderedJson out = OrderedJson::object();
  for (const auto& n : nodes)
    out[n.node()] = {{"in", n.in()},         {"out", n.out()},       {"err", n.err()},
                     {"queued", n.queued()}, {"active", n.active()}, {"dropped", n.dropped()}};
  return out;
}

OrderedJson error_json(const v1::ErrorRecord& error) {
  return {{"type", error.type()}, {"message", error.message()}};
}

OrderedJson exceptions_json(const NodeErrorsList& nodes) {
  OrderedJson out = OrderedJson::object();
  for (const auto& n : nodes) {
    OrderedJson errors = OrderedJson::array();
    for (const auto& e : n.errors()) errors.push_back(error_json(e));
    out[n.node()] = std::move(errors);
  }
  return out;
}

/// Like a graph file's "start_nodes": node name -> argument array.
OrderedJson start_nodes_json(const StartNodeList& start_nodes) {
  OrderedJson out = OrderedJson::object();
  for (const auto& s : start_nodes)
    out[s.node()] = decode_json_text(s.args_json(), OrderedJson::array());
  return out;
}

void add_event_fields(const v1::RunEvent& event, OrderedJson& out) {
  switch (event.kind_case()) {
    case v1::RunEvent::kStarted:
      out["type"] = "started";
      out["start_nodes"] = start_nodes_json(event.started().start_nodes());
      break;
    case v1::RunEvent::kStats:
      out["type"] = "stats";
      out["nodes"] = stats_json(event.stats().nodes());
      break;
    case v1::RunEvent::kNodeError:
      out["type"] = "node_error";
      out["node"] = event.node_error().node();
      out["error"] = error_json(event.node_error().error());
      break;
    case v1::RunEvent::kRetry:
      out["type"] = "retry";
      out["node"] = event.retry().node();
      out["attempt"] = event.retry().attempt();
      out["error"] = error_json(event.retry().error());
      out["delay_ms"] = event.retry().delay_ms();
      break;
    case v1::RunEvent::kLog:
      out["type"] = "log";
      out["node"] = event.log().node();
      out["line"] = event.log().line();
      break;
    case v1::RunEvent::kOutput:
      out["type"] = "output";
      out["node"] = event.output().node();
      out["item"] = decode_json_text(event.output().item_json());
      break;
    case v1::RunEvent::kFinished: {
      const auto& f = event.finished();
      out["type"] = "finished";
      out["state"] = state_name(f.state());
      out["stats"] = stats_json(f.stats());
      out["exceptions"] = exceptions_json(f.exceptions());
      if (!f.failure().empty()) out["failure"] = f.failure();
      break;
    }
    case v1::RunEvent::kMissed:
      out["type"] = "missed";
      out["from_seq"] = event.missed().from_seq();
      out["to_seq"] = event.missed().to_seq();
      break;
    case v1::RunEvent::kAccepted:
      out["type"] = "accepted";
      out["state"] = state_name(event.accepted().state());
      break;
    case v1::RunEvent::KIND_NOT_SET:
      out["type"] = "unknown";
      break;
  }
}

}  // namespace

OrderedJson decode_json_text(const std::string& text, OrderedJson fallback) {
  if (text.empty()) return fallback;
  OrderedJson value = OrderedJson::parse(text, nullptr, false);
  return value.is_discarded() ? OrderedJson(text) : value;
}

OrderedJson event_to_json(const v1::RunEvent& event) {
  OrderedJson out = {
      {"seq", event.seq()}, {"run_id", event.run_id()}, {"time_unix_ms", event.time_unix_ms()}};
  add_event_fields(event, out);
  return out;
}

OrderedJson run_info_to_json(const v1::RunInfo& run) {
  OrderedJson labels = OrderedJson::object();
  std::map<std::string, std::string> sorted(run.labels().begin(), run.labels().end());
  for (const auto& [k, v] : sorted) labels[k] = v;
  OrderedJson out = {{"run_id", run.run_id()},
                     {"state", state_name(run.state())},
                     {"labels", std::move(labels)},
                     {"submitted_unix_ms", run.submitted_unix_ms()},
                     {"started_unix_ms", run.started_unix_ms()},
                     {"finished_unix_ms", run.finished_unix_ms()},
                     {"start_nodes", start_nodes_json(run.start_nodes())},
                     {"stats", stats_json(run.stats())},
                     {"exceptions", exceptions_json(run.exceptions())},
                     {"last_seq", run.last_seq()},
                     {"submitted_by", run.submitted_by()}};
  if (!run.failure().empty()) out["failure"] = run.failure();
  if (run.events_not_stored() != 0) out["events_not_stored"] = run.events_not_stored();
  return out;
}

OrderedJson function_to_json(const v1::FunctionInfo& function) {
  OrderedJson params = OrderedJson::array();
  for (const auto& p : function.params()) {
    OrderedJson param = {{"name", p.name()}};
    if (p.has_default_json()) param["default"] = decode_json_text(p.default_json());
    params.push_back(std::move(param));
  }
  OrderedJson config = OrderedJson::array();
  for (const auto& key : function.config_keys())
    config.push_back({{"name", key.name()},
                      {"description", key.description()},
                      {"example", decode_json_text(key.example_json())},
                      {"required", key.required()}});
  OrderedJson out = {{"name", function.name()},
                     {"description", function.description()},
                     {"params", std::move(params)},
                     {"config", std::move(config)}};
  if (function.remote()) {
    OrderedJson workers = OrderedJson::array();
    for (const auto& w : function.workers()) workers.push_back(w);
    out["workers"] = std::move(workers);
  }
  return out;
}

}  // namespace agdf::client
