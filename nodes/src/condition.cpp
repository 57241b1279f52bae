#include "agdf/nodes/condition.hpp"

#include <algorithm>
#include <charconv>
#include <variant>

#include "agdf/nodes/json_text.hpp"
#include "agdf/nodes/limits.hpp"
#include "agdf/nodes/quote.hpp"

namespace agdf {

/// One step of a field path: an object key or an array/tuple index.
using PathStep = std::variant<std::string, std::size_t>;

struct Condition::Node {
  enum class Kind { compare, all, any, negate };
  Kind kind = Kind::compare;
  std::vector<PathStep> path;
  std::string op;
  Json value;
  std::vector<std::shared_ptr<const Node>> children;
};

namespace {

constexpr const char* kOps[] = {"==", "!=", "<",      "<=",       ">",
                                ">=", "in", "not_in", "contains", "exists"};

/// Parses "a.b[0].c"; returns nullopt when it does not parse (an index too large for
/// size_t included).
std::optional<std::vector<PathStep>> parse_path(const std::string& text) {
  std::vector<PathStep> steps;
  std::size_t i = 0;
  auto read_name = [&]() -> bool {
    std::size_t start = i;
    while (i < text.size() && text[i] != '.' && text[i] != '[' && text[i] != ']') ++i;
    if (i == start) return false;
    steps.emplace_back(text.substr(start, i - start));
    return true;
  };
  if (!read_name()) return std::nullopt;
  while (i < text.size()) {
    if (text[i] == '.') {
      ++i;
      if (!read_name()) return std::nullopt;
    } else if (text[i] == '[') {
      std::size_t close = text.find(']', i);
      if (close == std::string::npos || close == i + 1) return std::nullopt;
      const char* first = text.data() + i + 1;
      const char* last = text.data() + close;
      std::size_t index = 0;
      auto [end, error] = std::from_chars(first, last, index);
      if (error != std::errc() || end != last) return std::nullopt;
      steps.emplace_back(index);
      i = close + 1;
    } else {
      return std::nullopt;
    }
  }
  return steps;
}

const Json* resolve(const Item& item, const std::vector<PathStep>& path) {
  const Json* current = &item;
  for (const PathStep& step : path) {
    if (const auto* key = std::get_if<std::string>(&step)) {
      if (!current->is_object() || is_tuple(*current)) return nullptr;
      auto it = current->find(*key);
      if (it == current->end()) return nullptr;
      current = &*it;
    } else {
      const std::size_t index = std::get<std::size_t>(step);
      const Json* array = is_tuple(*current) ? &current->at(kTupleKey) : current;
      if (!array->is_array() || index >= array->size()) return nullptr;
      current = &(*array)[index];
    }
  }
  return current;
}

bool ordered(const Json& a, const Json& b, const std::string& op) {
  const bool comparable = (a.is_number() && b.is_number()) || (a.is_string() && b.is_string());
  if (!comparable) return false;
  if (op == "<") return a < b;
  if (op == "<=") return a <= b;
  if (op == ">") return a > b;
  return a >= b;
}

bool contains(const Json& haystack, const Json& needle) {
  if (haystack.is_string() && needle.is_string())
    return haystack.get_ref<const std::string&>().find(needle.get_ref<const std::string&>()) !=
           std::string::npos;
  const Json* array = is_tuple(haystack) ? &haystack.at(kTupleKey) : &haystack;
  if (array->is_array()) return std::find(array->begin(), array->end(), needle) != array->end();
  if (haystack.is_object() && needle.is_string())
    return haystack.contains(needle.get<std::string>());
  return false;
}

bool compare(const Condition::Node& node, const Item& item) {
  const Json* field = resolve(item, node.path);
  const std::string& op = node.op;
  if (op == "exists") return field != nullptr;
  if (field == nullptr) return op == "!=" || op == "not_in";
  if (op == "==") return *field == node.value;
  if (op == "!=") return *field != node.value;
  if (op == "in") return contains(node.value, *field);
  if (op == "not_in") return !contains(node.value, *field);
  if (op == "contains") return contains(*field, node.value);
  return ordered(*field, node.value, op);
}

bool evaluate(const Condition::Node& node, const Item& item) {
  switch (node.kind) {
    case Condition::Node::Kind::compare:
      return compare(node, item);
    case Condition::Node::Kind::all:
      return std::all_of(node.children.begin(), node.children.end(),
                         [&](const auto& c) { return evaluate(*c, item); });
    case Condition::Node::Kind::any:
      return std::any_of(node.children.begin(), node.children.end(),
                         [&](const auto& c) { return evaluate(*c, item); });
    case Condition::Node::Kind::negate:
      return !evaluate(*node.children.front(), item);
  }
  return false;
}

}  // namespace

struct ConditionParser {
  /// Enough to show what is wrong; a condition of a million bad parts is not listed whole.
  static constexpr std::size_t kMaxProblems = 20;

  std::vector<std::string>& problems;
  bool gave_up = false;

  bool give_up() {
    if (problems.size() >= kMaxProblems && !gave_up) {
      problems.push_back("... and more problems in this condition");
      gave_up = true;
    }
    return gave_up;
  }

  static Condition make(std::shared_ptr<const Condition::Node> root, const Json& source) {
    Condition c;
    c.root_ = std::move(root);
    c.source_ = source;
    return c;
  }

  /// `depth` counts enclosing all/any/not: bounded, so neither parsing nor evaluating a
  /// condition recurses more than kMaxJsonDepth deep whatever the client sent.
  std::shared_ptr<const Condition::Node> parse(const Json& j, std::size_t depth = 1) {
    auto node = std::make_shared<Condition::Node>();
    if (give_up()) return node;
    if (depth > kMaxJsonDepth) {
      problems.push_back("conditions nest deeper than " + std::to_string(kMaxJsonDepth) +
                         " levels of all/any/not");
      gave_up = true;
      return node;
    }
    if (!j.is_object()) {
      problems.push_back("a condition must be an object, got " + shorten_json(j));
      return node;
    }
    if (j.size() == 1 && (j.contains("all") || j.contains("any"))) {
      const bool all = j.contains("all");
      const Json& list = j.begin().value();
      node->kind = all ? Condition::Node::Kind::all : Condition::Node::Kind::any;
      if (!list.is_array() || list.empty())
        problems.push_back(std::string("'") + (all ? "all" : "any") +
                           "' needs a non-empty array of conditions");
      else
        for (const Json& c : list) {
          node->children.push_back(parse(c, depth + 1));
          if (gave_up) break;
        }
      return node;
    }
    if (j.size() == 1 && j.contains("not")) {
      node->kind = Condition::Node::Kind::negate;
      node->children.push_back(parse(j.at("not"), depth + 1));
      return node;
    }
    for (const auto& [key, value] : j.items()) {
      if (key != "field" && key != "op" && key != "value")
        problems.push_back("unknown key " + quote(key) + " in condition " + shorten_json(j));
      if (give_up()) return node;
    }
    if (auto it = j.find("field"); it != j.end()) {
      if (!it->is_string())
        problems.push_back("a condition's field must be a string path");
      else if (auto path = parse_path(it->get<std::string>()))
        node->path = std::move(*path);
      else
        problems.push_back("cannot parse field path " + quote(it->get<std::string>()));
    }
    auto op = j.find("op");
    if (op == j.end() || !op->is_string()) {
      problems.push_back(
          "a condition needs an op (one of == != < <= > >= in not_in contains exists)");
    } else {
      node->op = op->get<std::string>();
      if (std::find(std::begin(kOps), std::end(kOps), node->op) == std::end(kOps))
        problems.push_back("unknown op " + quote(node->op));
    }
    node->value = j.value("value", Json());
    if ((node->op == "in" || node->op == "not_in") && !node->value.is_array())
      problems.push_back("op " + quote(node->op) + " needs an array value");
    if (node->op == "exists" && j.contains("value"))
      problems.push_back(
          "op 'exists' takes no value (for a missing field write {\"not\": {\"field\": ..., "
          "\"op\": \"exists\"}})");
    else if (node->op != "exists" && !j.contains("value"))
      problems.push_back("op " + quote(node->op) + " needs a value");
    return node;
  }
};

ParsedCondition parse_condition(const Json& source) {
  ParsedCondition out;
  // Messages print parts of the condition and a Condition keeps a copy: both recurse.
  if (!within_depth(source)) {
    out.problems.push_back("the condition nests deeper than " + std::to_string(kMaxJsonDepth) +
                           " levels");
    return out;
  }
  ConditionParser parser{out.problems};
  auto root = parser.parse(source);
  if (out.problems.empty()) out.condition = ConditionParser::make(std::move(root), source);
  return out;
}

bool Condition::matches(const Item& item) const {
  return root_ && evaluate(*root_, item);
}

}  // namespace agdf
