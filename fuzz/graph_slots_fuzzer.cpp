// Structure-aware libFuzzer target. Byte mutations alone rarely get a whole graph past the
// JSON parser, so the input is spliced into one slot of a valid graph: the first byte picks
// the slot (a conditional edge's `when`, a `queue`, a function's `config`, `start_nodes` or
// their arguments, a node option, a label), the rest is the text put there. The same graph is then
// sent both ways the daemon reads one: as graph-file text, and as a structured Graph whose
// JSON fields carry the text (through the service's conversion, then run validation).
#include <charconv>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "agdf/service/convert.hpp"
#include "fuzz_support.hpp"

namespace {

namespace v1 = agdf::v1;

/// Functions whose config a slot replaces: the built-ins with the most config to get wrong.
constexpr const char* kConfigFunctions[] = {"values",   "range",   "sleep",     "repeat",
                                            "template", "filter",  "csv.write", "jsonl.read",
                                            "http.get", "fail_if", "echo",      "json.pick"};
constexpr std::size_t kFunctions = std::size(kConfigFunctions);

enum Slot : std::size_t {
  kWhen = kFunctions,
  kQueue,
  kStartNodes,
  kStartArgs,
  kMaxTasks,
  kQueueSize,
  kTimeout,
  kRetry,
  kMaxExceptions,
  kEdges,
  kName,
  kLabels,
  kSlots
};

/// The graph-file text with `payload` in `slot` and defaults everywhere else.
std::string graph_text(std::size_t slot, std::string_view payload) {
  const auto at = [&](std::size_t s, std::string_view fallback) {
    return std::string(slot == s ? payload : fallback);
  };
  const std::string function = slot < kFunctions ? kConfigFunctions[slot] : "echo";
  return R"({"nodes": [{"name": )" + at(kName, R"("a")") +
         R"(, "function": "values", "config": {"values": [1, {"x": 2}, "s"]}, "max_tasks": )" +
         at(kMaxTasks, "2") + R"(, "queue_size": )" + at(kQueueSize, "10") + R"(, "timeout_ms": )" +
         at(kTimeout, "100") + R"(, "retry": )" +
         at(kRetry, R"({"attempts": 2, "backoff_ms": 1})") +
         R"(}, {"name": "b", "function": "echo", "queue": )" +
         at(kQueue, R"({"kind": "batch", "size": 2})") + R"(}, {"name": "c", "function": ")" +
         function + R"(", "config": )" + (slot < kFunctions ? std::string(payload) : "{}") +
         R"(}], "edges": )" +
         at(kEdges, R"([["a", "b"], {"from": "b", "to": "c", "when": )" +
                        at(kWhen, R"({"field": "x", "op": "==", "value": 2})") + "}]") +
         R"(, "start_nodes": )" + at(kStartNodes, R"({"a": )" + at(kStartArgs, "[]") + "}") +
         R"(, "max_exceptions": )" + at(kMaxExceptions, "10") + "}";
}

/// An integer option's value, when the payload is one.
std::optional<std::int64_t> integer(std::string_view payload) {
  std::int64_t value = 0;
  auto [end, error] = std::from_chars(payload.data(), payload.data() + payload.size(), value);
  if (error != std::errc() || end != payload.data() + payload.size()) return std::nullopt;
  return value;
}

/// The same graph as a SubmitRunRequest with a structured Graph: JSON fields carry the
/// payload as it is (bytes, so even invalid UTF-8 gets through, as on the wire).
v1::SubmitRunRequest structured(std::size_t slot, std::string_view payload) {
  v1::SubmitRunRequest request;
  v1::Graph* graph = request.mutable_definition()->mutable_graph();
  v1::Node* a = graph->add_nodes();
  a->set_name(slot == kName ? std::string(payload) : "a");
  a->set_function("values");
  a->set_config_json(R"({"values": [1, {"x": 2}, "s"]})");
  a->set_max_tasks(slot == kMaxTasks ? integer(payload).value_or(0) : 2);
  a->set_queue_size(slot == kQueueSize ? integer(payload).value_or(0) : 10);
  a->set_timeout_ms(slot == kTimeout ? integer(payload).value_or(-1) : 100);
  a->mutable_retry()->set_attempts(slot == kRetry ? integer(payload).value_or(0) : 2);
  v1::Node* b = graph->add_nodes();
  b->set_name("b");
  b->set_function("echo");
  b->set_queue_json(slot == kQueue ? std::string(payload) : R"({"kind": "batch", "size": 2})");
  v1::Node* c = graph->add_nodes();
  c->set_name("c");
  c->set_function(slot < kFunctions ? kConfigFunctions[slot] : "echo");
  if (slot < kFunctions) c->set_config_json(std::string(payload));
  v1::Edge* ab = graph->add_edges();
  ab->set_from(slot == kEdges ? std::string(payload) : "a");
  ab->set_to("b");
  v1::Edge* bc = graph->add_edges();
  bc->set_from("b");
  bc->set_to("c");
  bc->set_when_json(slot == kWhen ? std::string(payload)
                                  : R"({"field": "x", "op": "==", "value": 2})");
  // start_nodes as the submission's override, twice when that slot is picked (a duplicate).
  for (int i = 0; i < (slot == kStartNodes ? 2 : 1); ++i) {
    v1::StartNode* start = request.add_start_nodes();
    start->set_node("a");
    start->set_args_json(slot == kStartArgs ? std::string(payload) : "[]");
  }
  if (slot == kMaxExceptions) request.set_max_exceptions(integer(payload).value_or(0));
  if (slot == kLabels) (*request.mutable_labels())[std::string(payload)] = std::string(payload);
  return request;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::size_t slot = data[0] % kSlots;
  const std::string_view payload(reinterpret_cast<const char*>(data + 1), size - 1);

  agdf::fuzz::validate_parsed(agdf::engine::parse_graph_text(graph_text(slot, payload)));
  agdf::fuzz::validate_run(agdf::service::to_run_request(structured(slot, payload)));
  return 0;
}
