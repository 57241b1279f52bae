// A battery of generated hostile requests against the real daemon: every slot of the graph
// format (graph, node, retry, edge and condition keys, every queue kind's keys, every
// function's config keys as the daemon lists them, start nodes) gets every hostile value,
// sent as graph_json and as a structured Graph, to ValidateGraph, SubmitRun and
// SubmitAndWatch; and every field of SubmitRunRequest besides the graph (start nodes,
// options, labels, capture, logging: found by protobuf reflection) gets every hostile value
// of its type, to SubmitRun and SubmitAndWatch. The slots come from the format itself (the
// parser's key lists, the registries, the request's descriptor), so a key or field added to
// the format is attacked here without editing this test. Zero crashes, and every answer is
// OK or INVALID_ARGUMENT with a short message: never INTERNAL, UNKNOWN or a metadata overflow.
#include <unistd.h>

#include <filesystem>
#include <functional>
#include <limits>
#include <map>

#include <google/protobuf/descriptor.h>
#include <google/protobuf/reflection.h>

#include "agdf/engine/graph_file.hpp"
#include "agdf/engine/queue_kind.hpp"
#include "agdf/nodes/limits.hpp"
#include "agdf/nodes/quote.hpp"
#include "server/hostile_client.hpp"
#include "support/deep_json.hpp"

namespace agdf::testing {
namespace {

namespace fs = std::filesystem;

Json deep_not(int depth) {
  Json value = Json{{"field", "x"}, {"op", "exists"}};
  for (int i = 0; i < depth; ++i) {
    Json outer = Json::object();
    outer["not"] = std::move(value);
    value = std::move(outer);
  }
  return value;
}

/// Values at the edges: numbers past every bound, wrong types, control characters, long
/// strings (longer than a status may echo), nesting past the bound, tuples and duplicates.
std::vector<Json> hostile_values() {
  return {Json(std::numeric_limits<std::int64_t>::max()),
          Json(std::numeric_limits<std::int64_t>::min()),
          Json(std::numeric_limits<std::uint64_t>::max()),
          Json(std::int64_t{1} << 31),
          Json(-1),
          Json(0),
          Json(1.5e308),
          Json(true),
          Json(nullptr),
          Json(""),
          Json(std::string("a\0b\n\r\t\x7f", 7)),
          Json(std::string(10'000, 'x') + "{x}"),
          Json("a[99999999999999999999]"),
          Json::array(),
          Json::object(),
          deep_array(kMaxJsonDepth + 1),
          deep_not(150),
          Json{{"$tuple", {1, 2}}},
          Json::array({"x", "x"}),
          Json{{"kind", "zip"}, {"sources", {"x", "x"}}}};
}

/// A valid graph that uses every part of the format: options, a retry policy, a timeout,
/// a queue kind, a conditional edge and start nodes.
Json base_graph() {
  return Json::parse(R"({
    "nodes": [
      {"name": "src", "function": "values", "config": {"values": [1, 2, 3]},
       "max_tasks": 1, "queue_size": 10, "unpack_input": true, "halt_on_exception": false,
       "retry": {"attempts": 2, "backoff_ms": 1, "max_backoff_ms": 2}, "timeout_ms": 1000},
      {"name": "mid", "function": "echo", "queue": {"kind": "fifo"}},
      {"name": "sink", "function": "discard"}
    ],
    "edges": [["src", "mid"], {"from": "mid", "to": "sink", "when": {"field": "x", "op": "==", "value": 1}}],
    "halt_on_exception": false,
    "start_nodes": {"src": []},
    "max_exceptions": 10
  })");
}

/// One way to damage the base graph.
struct Mutation {
  std::string slot;
  std::function<void(Json& graph)> apply;
};

/// Every slot of the format, each with a setter taking the hostile value.
std::vector<std::pair<std::string, std::function<void(Json&, const Json&)>>> slots(
    const v1::ListFunctionsResponse& functions) {
  std::vector<std::pair<std::string, std::function<void(Json&, const Json&)>>> out;
  for (const std::string& key : engine::kGraphKeys)
    out.emplace_back("graph." + key, [key](Json& g, const Json& v) { g[key] = v; });
  for (const std::string& key : engine::kNodeKeys)
    out.emplace_back("node." + key, [key](Json& g, const Json& v) { g["nodes"][0][key] = v; });
  for (const std::string& key : engine::kRetryKeys)
    out.emplace_back("retry." + key,
                     [key](Json& g, const Json& v) { g["nodes"][0]["retry"][key] = v; });
  for (const std::string& key : engine::kEdgeKeys)
    out.emplace_back("edge." + key, [key](Json& g, const Json& v) { g["edges"][1][key] = v; });
  for (const char* key : {"field", "op", "value", "all", "any", "not"})
    out.emplace_back(std::string("when.") + key, [key = std::string(key)](Json& g, const Json& v) {
      g["edges"][1]["when"] = Json{{"field", "x"}, {"op", "=="}, {"value", 1}};
      g["edges"][1]["when"][key] = v;
    });
  out.emplace_back("start_nodes.src", [](Json& g, const Json& v) { g["start_nodes"]["src"] = v; });
  for (const engine::QueueKindDef* kind : engine::builtin_queue_kinds().list()) {
    std::vector<std::string> keys{"kind"};
    for (const ConfigKey& key : kind->config_keys) keys.push_back(key.name);
    for (const std::string& key : keys)
      out.emplace_back("queue." + kind->name + "." + key,
                       [name = kind->name, key](Json& g, const Json& v) {
                         g["nodes"][1]["queue"] = Json{{"kind", name}};
                         g["nodes"][1]["queue"][key] = v;
                       });
  }
  for (const v1::FunctionInfo& function : functions.functions()) {
    Json config = Json::object();
    for (const v1::ConfigKey& key : function.config_keys())
      config[key.name()] = Json::parse(key.example_json());
    // Nothing leaves the machine: any URL points at a closed loopback port.
    if (config.contains("url")) config["url"] = "http://127.0.0.1:9/";
    for (const v1::ConfigKey& key : function.config_keys())
      out.emplace_back("function " + function.name() + " config." + key.name(),
                       [name = function.name(), config, key = key.name()](Json& g, const Json& v) {
                         g["nodes"][1]["function"] = name;
                         g["nodes"][1]["config"] = config;
                         g["nodes"][1]["config"][key] = v;
                       });
  }
  return out;
}

/// A JSON value as the text a JSON field carries.
std::string text_of(const Json& value) {
  return value.dump(-1, ' ', false, Json::error_handler_t::replace);
}

/// The graph document as a structured Graph: typed fields get the value when it has their
/// type; JSON fields (config, queue, when, args) carry whatever the document holds.
v1::Graph to_structured(const Json& g) {
  v1::Graph graph;
  const auto text = [](const Json& object, const char* key) {
    auto it = object.find(key);
    return it == object.end() || !it->is_string() ? std::string() : it->get<std::string>();
  };
  const auto integer = [](const Json& object, const char* key) -> std::optional<std::int64_t> {
    auto it = object.find(key);
    if (it == object.end() || !it->is_number_integer() ||
        (it->is_number_unsigned() && it->get<std::uint64_t>() > INT64_MAX))
      return std::nullopt;
    return it->get<std::int64_t>();
  };
  if (g.is_object() && g.contains("nodes") && g["nodes"].is_array()) {
    for (const Json& n : g["nodes"]) {
      if (!n.is_object()) continue;
      v1::Node* node = graph.add_nodes();
      node->set_name(text(n, "name"));
      node->set_function(text(n, "function"));
      if (n.contains("config")) node->set_config_json(text_of(n["config"]));
      if (n.contains("queue")) node->set_queue_json(text_of(n["queue"]));
      if (auto v = integer(n, "max_tasks")) node->set_max_tasks(*v);
      if (auto v = integer(n, "queue_size")) node->set_queue_size(*v);
      if (auto v = integer(n, "timeout_ms")) node->set_timeout_ms(*v);
      if (n.contains("retry") && n["retry"].is_object()) {
        if (auto v = integer(n["retry"], "attempts")) node->mutable_retry()->set_attempts(*v);
        if (auto v = integer(n["retry"], "backoff_ms")) node->mutable_retry()->set_backoff_ms(*v);
        if (auto v = integer(n["retry"], "max_backoff_ms"))
          node->mutable_retry()->set_max_backoff_ms(*v);
      }
    }
  }
  if (g.is_object() && g.contains("edges") && g["edges"].is_array()) {
    for (const Json& e : g["edges"]) {
      v1::Edge* edge = graph.add_edges();
      if (e.is_array() && e.size() == 2 && e[0].is_string() && e[1].is_string()) {
        edge->set_from(e[0].get<std::string>());
        edge->set_to(e[1].get<std::string>());
      } else if (e.is_object()) {
        edge->set_from(text(e, "from"));
        edge->set_to(text(e, "to"));
        if (e.contains("when")) edge->set_when_json(text_of(e["when"]));
      }
    }
  }
  if (g.is_object() && g.contains("start_nodes") && g["start_nodes"].is_object())
    for (const auto& [name, args] : g["start_nodes"].items()) {
      v1::StartNode* start = graph.add_start_nodes();
      start->set_node(name);
      start->set_args_json(text_of(args));
    }
  if (g.is_object()) {
    if (auto v = integer(g, "max_exceptions")) graph.set_max_exceptions(*v);
    if (g.contains("halt_on_exception") && g["halt_on_exception"].is_boolean())
      graph.set_halt_on_exception(g["halt_on_exception"].get<bool>());
  }
  return graph;
}

/// Byte-level damage to the text of the base graph: what a JSON parser meets first.
std::vector<std::string> damaged_texts() {
  const std::string text = base_graph().dump();
  std::vector<std::string> out{"",
                               "{",
                               "[",
                               "null",
                               "\xff\xfe",
                               text.substr(0, text.size() / 2),
                               text + "}",
                               text + " trailing",
                               std::string(100'000, '['),
                               std::string(100'000, '{'),
                               "{\"nodes\": [" + std::string(50'000, '[') + "]}"};
  for (std::size_t at : {std::size_t{1}, text.size() / 3, text.size() - 2}) {
    std::string bad = text;
    bad.insert(at, "\xc3\x28");
    out.push_back(bad);
    std::string nul = text;
    nul[at] = '\0';
    out.push_back(nul);
  }
  return out;
}

namespace pb = google::protobuf;

/// One hostile change to a SubmitRunRequest.
struct RequestMutation {
  std::string what;
  std::function<void(pb::Message& request)> apply;
};

/// Sets (or, when repeated, adds) one hostile value to a scalar field.
using FieldSetter = std::function<void(pb::Message&, const pb::FieldDescriptor*)>;

template <typename T, typename Set, typename Add>
void add_numbers(std::vector<std::pair<std::string, FieldSetter>>& out, std::vector<T> values,
                 Set set, Add add) {
  for (T value : values)
    out.emplace_back(std::to_string(value),
                     [value, set, add](pb::Message& m, const pb::FieldDescriptor* f) {
                       const pb::Reflection* r = m.GetReflection();
                       if (f->is_repeated())
                         (r->*add)(&m, f, value);
                       else
                         (r->*set)(&m, f, value);
                     });
}

/// Every hostile value of a scalar field's type: numbers at the type's limits and past the
/// format's bounds; for strings, empty, long, control characters and names of the base
/// graph's nodes (added twice when the field is repeated); for bytes, hostile JSON texts.
std::vector<std::pair<std::string, FieldSetter>> hostile_field_values(
    const pb::FieldDescriptor* field) {
  using R = pb::Reflection;
  std::vector<std::pair<std::string, FieldSetter>> out;
  switch (field->cpp_type()) {
    case pb::FieldDescriptor::CPPTYPE_STRING: {
      std::vector<std::string> texts;
      if (field->type() == pb::FieldDescriptor::TYPE_BYTES) {
        for (const Json& value : hostile_values()) texts.push_back(text_of(value));
        texts.insert(texts.end(), {"\xff\xfe", "[\"\xc3\x28\"]", "[1] x", std::string("[]\0[", 4),
                                   std::string(100'000, '['), R"({"a": 1, "a": 2})"});
      } else {
        // Valid UTF-8 only: the RPC layer refuses anything else in a string field.
        texts = {"",
                 "src",
                 "sink",
                 "ghost",
                 std::string(10'000, 'n'),
                 std::string("a\0b\n\r\t\x7f", 7),
                 "{x}",
                 "caf\xc3\xa9"};
      }
      for (const std::string& text : texts)
        out.emplace_back(shorten(text), [text](pb::Message& m, const pb::FieldDescriptor* f) {
          const R* r = m.GetReflection();
          if (!f->is_repeated()) return r->SetString(&m, f, text);
          r->AddString(&m, f, text);
          r->AddString(&m, f, text);
        });
      break;
    }
    case pb::FieldDescriptor::CPPTYPE_INT64:
      add_numbers<std::int64_t>(
          out,
          {std::numeric_limits<std::int64_t>::max(), std::numeric_limits<std::int64_t>::min(), -1,
           0, std::int64_t{1} << 31, kMaxMilliseconds + 1},
          &R::SetInt64, &R::AddInt64);
      break;
    case pb::FieldDescriptor::CPPTYPE_INT32:
      add_numbers<std::int32_t>(out,
                                {std::numeric_limits<std::int32_t>::max(),
                                 std::numeric_limits<std::int32_t>::min(), -1, 0},
                                &R::SetInt32, &R::AddInt32);
      break;
    case pb::FieldDescriptor::CPPTYPE_UINT64:
      add_numbers<std::uint64_t>(out, {std::numeric_limits<std::uint64_t>::max(), 0}, &R::SetUInt64,
                                 &R::AddUInt64);
      break;
    case pb::FieldDescriptor::CPPTYPE_UINT32:
      add_numbers<std::uint32_t>(out,
                                 {std::numeric_limits<std::uint32_t>::max(), 0, 1,
                                  static_cast<std::uint32_t>(kMaxMilliseconds + 1)},
                                 &R::SetUInt32, &R::AddUInt32);
      break;
    case pb::FieldDescriptor::CPPTYPE_BOOL:
      add_numbers<bool>(out, {true, false}, &R::SetBool, &R::AddBool);
      break;
    case pb::FieldDescriptor::CPPTYPE_ENUM: {
      std::vector<int> numbers{-1, 1000};
      for (int i = 0; i < field->enum_type()->value_count(); ++i)
        numbers.push_back(field->enum_type()->value(i)->number());
      add_numbers<int>(out, numbers, &R::SetEnumValue, &R::AddEnumValue);
      break;
    }
    case pb::FieldDescriptor::CPPTYPE_DOUBLE:
      add_numbers<double>(out,
                          {-1e308, std::numeric_limits<double>::infinity(),
                           std::numeric_limits<double>::quiet_NaN()},
                          &R::SetDouble, &R::AddDouble);
      break;
    case pb::FieldDescriptor::CPPTYPE_FLOAT:
      add_numbers<float>(out, {-1e38f, std::numeric_limits<float>::infinity()}, &R::SetFloat,
                         &R::AddFloat);
      break;
    case pb::FieldDescriptor::CPPTYPE_MESSAGE:
      break;
  }
  return out;
}

/// Every field reachable from `type` (through singular, repeated and map fields), each with
/// every hostile value of its type; `reach` gives the message holding the field. A repeated
/// message field also gets a thousand elements (the first string field of each distinct).
void request_mutations(const pb::Descriptor* type, const std::string& path,
                       const std::function<pb::Message&(pb::Message&)>& reach,
                       std::vector<RequestMutation>& out) {
  for (int i = 0; i < type->field_count(); ++i) {
    const pb::FieldDescriptor* field = type->field(i);
    const std::string name = path + field->name();
    if (name == "definition") continue;  // the graph: attacked slot by slot above
    if (field->cpp_type() != pb::FieldDescriptor::CPPTYPE_MESSAGE) {
      for (auto& [value, set] : hostile_field_values(field))
        out.push_back({name + " = " + value,
                       [reach, set = set, field](pb::Message& m) { set(reach(m), field); }});
      continue;
    }
    if (!field->is_repeated()) {
      request_mutations(
          field->message_type(), name + ".",
          [reach, field](pb::Message& m) -> pb::Message& {
            pb::Message& holder = reach(m);
            return *holder.GetReflection()->MutableMessage(&holder, field);
          },
          out);
      continue;
    }
    request_mutations(
        field->message_type(), name + "[].",
        [reach, field](pb::Message& m) -> pb::Message& {
          pb::Message& holder = reach(m);
          return *holder.GetReflection()->AddMessage(&holder, field);
        },
        out);
    out.push_back({name + " x 1000", [reach, field](pb::Message& m) {
                     pb::Message& holder = reach(m);
                     for (int n = 0; n < 1000; ++n) {
                       pb::Message* element = holder.GetReflection()->AddMessage(&holder, field);
                       const pb::Descriptor* d = element->GetDescriptor();
                       for (int k = 0; k < d->field_count(); ++k)
                         if (d->field(k)->type() == pb::FieldDescriptor::TYPE_STRING &&
                             !d->field(k)->is_repeated()) {
                           element->GetReflection()->SetString(element, d->field(k),
                                                               std::to_string(n));
                           break;
                         }
                     }
                   }});
  }
}

class DaemonHostileBattery : public DaemonTest {
 protected:
  void SetUp() override {
    data_ = fs::temp_directory_path() / ("agdf-battery-" + std::to_string(::getpid()));
    fs::remove_all(data_);
    fs::create_directories(data_);
    start_daemon({"--data-dir", data_.string()});
  }
  void TearDown() override { fs::remove_all(data_); }

  enum Rpc { kValidateGraph, kSubmitRun, kSubmitAndWatch };

  /// Sends `definition` to ValidateGraph, SubmitRun or SubmitAndWatch, cancelling a run that
  /// was accepted, and checks the answer.
  void send(Rpc rpc, const v1::GraphDefinition& definition, const std::string& what) {
    if (rpc == kValidateGraph) {
      v1::ValidateGraphResponse response;
      grpc::Status status = validate_status(stub(), definition, &response);
      EXPECT_LE(response.ByteSizeLong(), std::size_t{1} << 20) << what;
      return check(status, what);
    }
    v1::SubmitRunRequest request;
    *request.mutable_definition() = definition;
    send(rpc, request, what);
  }

  void send(Rpc rpc, const v1::SubmitRunRequest& request, const std::string& what) {
    if (rpc == kSubmitAndWatch) {
      grpc::Status status = submit_and_watch_status(stub(), request);
      if (status.ok()) ++accepted_;
      return check(status, what + " (SubmitAndWatch)");
    }
    std::string id;
    grpc::Status status = submit_status(stub(), request, &id);
    if (status.ok()) {
      ++accepted_;
      auto context = call_context();
      v1::CancelRunRequest cancel;
      cancel.set_run_id(id);
      v1::CancelRunResponse response;
      grpc::Status cancelled = stub().CancelRun(context.get(), cancel, &response);
      EXPECT_TRUE(cancelled.ok() || cancelled.error_code() == grpc::StatusCode::NOT_FOUND)
          << what << ": cancel " << cancelled.error_code() << " " << cancelled.error_message();
    }
    check(status, what);
  }

  void check(const grpc::Status& status, const std::string& what) {
    ++sent_;
    ++by_code_[status.error_code()];
    EXPECT_TRUE(status.ok() || status.error_code() == grpc::StatusCode::INVALID_ARGUMENT)
        << what << ": " << status.error_code() << " " << status.error_message().substr(0, 300);
    EXPECT_LE(status.error_message().size(), 4096u) << what;
    if (sent_ % 500 == 0) {
      ASSERT_FALSE(daemon().wait_exit(std::chrono::milliseconds(0))) << what;
    }
  }

  fs::path data_;
  int sent_ = 0;
  int accepted_ = 0;
  std::map<int, int> by_code_;
};

TEST_F(DaemonHostileBattery, ThousandsOfGeneratedHostileRequestsGetCleanAnswers) {
  v1::ListFunctionsResponse functions;
  {
    auto context = call_context();
    ASSERT_TRUE(stub().ListFunctions(context.get(), {}, &functions).ok());
  }
  const auto values = hostile_values();
  const auto all_slots = slots(functions);
  for (const auto& [slot, set] : all_slots) {
    for (std::size_t v = 0; v < values.size(); ++v) {
      Json graph = base_graph();
      set(graph, values[v]);
      const std::string what = slot + " = value #" + std::to_string(v);
      v1::GraphDefinition as_text;
      as_text.set_graph_json(graph.dump());
      v1::GraphDefinition as_messages;
      *as_messages.mutable_graph() = to_structured(graph);
      for (Rpc rpc : {kValidateGraph, kSubmitRun}) {
        send(rpc, as_text, what + " (graph_json)");
        send(rpc, as_messages, what + " (structured)");
      }
      // SubmitAndWatch takes the same request through the same checks: one form suffices.
      send(kSubmitAndWatch, v % 2 == 0 ? as_text : as_messages,
           what + (v % 2 == 0 ? " (graph_json)" : " (structured)"));
      if (HasFatalFailure()) return;
    }
  }
  for (const std::string& text : damaged_texts()) {
    v1::GraphDefinition definition;
    definition.set_graph_json(text);
    for (Rpc rpc : {kValidateGraph, kSubmitRun, kSubmitAndWatch})
      send(rpc, definition, "damaged text of " + std::to_string(text.size()) + " bytes");
  }

  // Every other field of the submission, by reflection, through both submitting RPCs.
  std::vector<RequestMutation> mutations;
  request_mutations(
      v1::SubmitRunRequest::descriptor(), "", [](pb::Message& m) -> pb::Message& { return m; },
      mutations);
  const v1::SubmitRunRequest base = submission(base_graph().dump());
  for (const RequestMutation& mutation : mutations) {
    v1::SubmitRunRequest request = base;
    mutation.apply(request);
    for (Rpc rpc : {kSubmitRun, kSubmitAndWatch}) send(rpc, request, "request " + mutation.what);
    if (HasFatalFailure()) return;
  }

  EXPECT_GE(sent_, 1000);
  EXPECT_GE(all_slots.size(), 100u) << "the format's slots were not all found";
  EXPECT_GE(mutations.size(), 80u) << "the request's fields were not all found";
  EXPECT_GT(accepted_, 0) << "no mutation was valid: the base graph itself is broken";
  std::string summary;
  for (const auto& [code, count] : by_code_)
    summary += " code " + std::to_string(code) + ": " + std::to_string(count) + ";";
  RecordProperty("requests", sent_);
  RecordProperty("graph_slots", static_cast<int>(all_slots.size()));
  RecordProperty("request_mutations", static_cast<int>(mutations.size()));
  RecordProperty("by_status", summary);
  expect_still_serving(daemon(), stub());
}

}  // namespace
}  // namespace agdf::testing
