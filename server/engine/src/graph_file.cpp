#include "agdf/engine/graph_file.hpp"

#include <algorithm>
#include <fstream>
#include <limits>
#include <sstream>

#include "agdf/nodes/json_text.hpp"
#include "agdf/nodes/quote.hpp"

namespace agdf::engine {
namespace {

constexpr std::int64_t kInt64Max = std::numeric_limits<std::int64_t>::max();

/// Collects problems while reading one JSON object with a fixed set of keys.
class ObjectReader {
 public:
  ObjectReader(const Json& object, std::string where, Problems& problems,
               const std::vector<std::string>& known)
      : object_(object), where_(std::move(where)), problems_(problems) {
    for (const auto& [key, value] : object.items())
      if (std::find(known.begin(), known.end(), key) == known.end())
        fail("unknown key " + quote(key));
  }

  void fail(std::string message) { problems_.push_back({where_, std::move(message)}); }

  template <typename T>
  void read(const char* key, T& out, bool (Json::*is_type)() const noexcept, const char* what) {
    auto it = object_.find(key);
    if (it == object_.end()) return;
    if (!((*it).*is_type)()) return fail(std::string(key) + " must be " + what);
    out = it->template get<T>();
  }

  void read_string(const char* key, std::string& out, bool required) {
    if (required && !object_.contains(key)) return fail(std::string(key) + " is required");
    read(key, out, &Json::is_string, "a string");
  }
  /// An integer past int64 (JSON allows any) saturates, so validation reports it against
  /// the field's bound rather than as a wrapped negative number.
  void read_int(const char* key, std::int64_t& out) {
    auto it = object_.find(key);
    if (it != object_.end() && it->is_number_unsigned() &&
        it->get<std::uint64_t>() > static_cast<std::uint64_t>(kInt64Max)) {
      out = kInt64Max;
      return;
    }
    read(key, out, &Json::is_number_integer, "an integer");
  }
  void read_bool(const char* key, bool& out) { read(key, out, &Json::is_boolean, "true or false"); }

 private:
  const Json& object_;
  std::string where_;
  Problems& problems_;
};

NodeSpec parse_node(const Json& j, std::size_t index, Problems& problems) {
  NodeSpec node;
  std::string where = "nodes[" + std::to_string(index) + "]";
  if (!j.is_object()) {
    problems.push_back({where, "a node must be an object"});
    return node;
  }
  if (auto it = j.find("name"); it != j.end() && it->is_string())
    where = "node " + quote(it->get_ref<const std::string&>());
  ObjectReader r(j, where, problems, kNodeKeys);
  r.read_string("name", node.name, true);
  r.read_string("function", node.function, true);
  r.read_int("max_tasks", node.max_tasks);
  r.read_int("queue_size", node.queue_size);
  r.read_bool("unpack_input", node.unpack_input);
  r.read_bool("halt_on_exception", node.halt_on_exception);
  r.read_int("timeout_ms", node.timeout_ms);
  if (auto it = j.find("config"); it != j.end()) {
    if (it->is_object())
      node.config = *it;
    else if (!it->is_null())
      r.fail("config must be an object");
  }
  if (auto it = j.find("queue"); it != j.end()) node.queue = *it;
  if (auto it = j.find("retry"); it != j.end()) {
    if (!it->is_object()) {
      r.fail("retry must be an object with attempts, backoff_ms, max_backoff_ms");
    } else {
      ObjectReader retry(*it, where + " retry", problems, kRetryKeys);
      retry.read_int("attempts", node.retry.attempts);
      retry.read_int("backoff_ms", node.retry.backoff_ms);
      retry.read_int("max_backoff_ms", node.retry.max_backoff_ms);
    }
  }
  return node;
}

std::optional<EdgeSpec> parse_edge(const Json& j, std::size_t index, Problems& problems) {
  const std::string where = "edges[" + std::to_string(index) + "]";
  if (j.is_array() && j.size() == 2 && j[0].is_string() && j[1].is_string())
    return EdgeSpec{j[0].get<std::string>(), j[1].get<std::string>(), Json()};
  if (j.is_object()) {
    const std::size_t before = problems.size();
    EdgeSpec edge;
    ObjectReader r(j, where, problems, kEdgeKeys);
    r.read_string("from", edge.from, true);
    r.read_string("to", edge.to, true);
    if (auto it = j.find("when"); it != j.end()) edge.when = *it;
    if (problems.size() == before) return edge;
    return std::nullopt;
  }
  problems.push_back({where,
                      "an edge must be a [source, destination] pair of node names, or "
                      "{\"from\", \"to\", \"when\"}"});
  return std::nullopt;
}

void parse_start_nodes(const Json& j, GraphSpec& spec, Problems& problems) {
  if (!j.is_object()) {
    problems.push_back({"start_nodes", "must be an object of node name -> argument array"});
    return;
  }
  for (const auto& [name, args] : j.items()) {
    if (!args.is_array()) {
      problems.push_back({"start_nodes", "arguments of " + quote(name) + " must be an array"});
      continue;
    }
    spec.start_nodes.push_back({name, args.get<Json::array_t>()});
  }
}

}  // namespace

ParsedGraph parse_graph(const Json& document) {
  ParsedGraph out;
  Problems& problems = out.problems;
  if (!document.is_object()) {
    problems.push_back({"", "a graph must be a JSON object with 'nodes' and 'edges'"});
    return out;
  }
  // Reading copies values (configs, conditions): a value too deep to copy safely is refused
  // first. Text read by parse_graph_text never gets here that deep.
  if (!within_depth(document)) {
    problems.push_back({"graph", "nested deeper than " + std::to_string(kMaxJsonDepth) +
                                     " levels of arrays and objects"});
    return out;
  }
  GraphSpec spec;
  ObjectReader r(document, "graph", problems, kGraphKeys);
  r.read_bool("halt_on_exception", spec.halt_on_exception);
  r.read_int("max_exceptions", spec.max_exceptions);

  if (auto it = document.find("nodes"); it == document.end() || !it->is_array()) {
    r.fail("nodes must be an array of node objects");
  } else {
    for (std::size_t i = 0; i < it->size(); ++i)
      spec.nodes.push_back(parse_node((*it)[i], i, problems));
  }
  if (auto it = document.find("edges"); it != document.end()) {
    if (!it->is_array())
      r.fail("edges must be an array");
    else
      for (std::size_t i = 0; i < it->size(); ++i)
        if (auto edge = parse_edge((*it)[i], i, problems)) spec.edges.push_back(std::move(*edge));
  }
  if (auto it = document.find("start_nodes"); it != document.end() && !it->is_null())
    parse_start_nodes(*it, spec, problems);

  out.spec = std::move(spec);
  return out;
}

ParsedGraph parse_graph_text(std::string_view text, const std::string& where) {
  JsonRead read = read_json_text(text);
  if (read.error) {
    ParsedGraph out;
    out.problems.push_back({where, "the graph is not valid JSON: " + read.error->to_string()});
    return out;
  }
  return parse_graph(read.value);
}

ParsedGraph load_graph_file(const std::filesystem::path& path) {
  std::ifstream in(path);
  if (!in) {
    ParsedGraph out;
    out.problems.push_back({path.string(), "cannot open the graph file"});
    return out;
  }
  std::stringstream buffer;
  buffer << in.rdbuf();
  return parse_graph_text(buffer.str());
}

}  // namespace agdf::engine
