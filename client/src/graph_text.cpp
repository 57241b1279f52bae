#include "agdf/client/graph_text.hpp"

#include <algorithm>
#include <array>
#include <optional>

namespace agdf::client {
namespace {

using nlohmann::json;

constexpr std::array<std::pair<std::string_view, std::string_view>, 10> kOps{{
    {"==", "=="},
    {"!=", "!="},
    {"<", "<"},
    {"<=", "<="},
    {">", ">"},
    {">=", ">="},
    {"in", "in"},
    {"not_in", "not in"},
    {"contains", "contains"},
    {"exists", "exists"},
}};

std::string compact(const json& value) {
  return value.dump(-1, ' ', false, json::error_handler_t::replace);
}

std::optional<std::string_view> op_text(const json& op) {
  if (!op.is_string()) return std::nullopt;
  for (const auto& [name, text] : kOps)
    if (op.get_ref<const std::string&>() == name) return text;
  return std::nullopt;
}

std::optional<std::string> render(const json& when);

/// `a and b`, `a or b`; compound parts in parentheses so the grouping stays visible.
std::optional<std::string> render_group(const json& parts, std::string_view joiner) {
  if (!parts.is_array()) return std::nullopt;
  if (parts.empty()) return std::string(joiner == "and" ? "true" : "false");
  std::string out;
  for (const auto& part : parts) {
    auto text = render(part);
    if (!text) return std::nullopt;
    const bool compound = part.is_object() && !part.contains("op");
    if (!out.empty()) out.append(" ").append(joiner).append(" ");
    out += compound && parts.size() > 1 ? "(" + *text + ")" : *text;
  }
  return out;
}

std::optional<std::string> render_compare(const json& when) {
  auto op = op_text(when.value("op", json()));
  if (!op) return std::nullopt;
  std::string field = "item";
  if (auto f = when.find("field"); f != when.end()) {
    if (!f->is_string()) return std::nullopt;
    field = f->get<std::string>();
  }
  const json value = when.value("value", json());
  if (*op == "exists") {
    const bool wanted = !value.is_boolean() || value.get<bool>();
    return field + (wanted ? " exists" : " does not exist");
  }
  return field + " " + std::string(*op) + " " + value_text(value);
}

std::optional<std::string> render(const json& when) {
  if (!when.is_object()) return std::nullopt;
  if (auto all = when.find("all"); all != when.end() && when.size() == 1)
    return render_group(*all, "and");
  if (auto any = when.find("any"); any != when.end() && when.size() == 1)
    return render_group(*any, "or");
  if (auto negated = when.find("not"); negated != when.end() && when.size() == 1) {
    auto inner = render(*negated);
    if (!inner) return std::nullopt;
    return "not (" + *inner + ")";
  }
  return render_compare(when);
}

}  // namespace

std::string value_text(const json& value) {
  if (value.is_object() && value.size() == 1 && value.contains("$tuple") &&
      value["$tuple"].is_array()) {
    std::string out = "(";
    for (std::size_t i = 0; i < value["$tuple"].size(); ++i) {
      if (i) out += ", ";
      out += value_text(value["$tuple"][i]);
    }
    return out + (value["$tuple"].size() == 1 ? ",)" : ")");
  }
  if (value.is_array()) {
    std::string out = "[";
    for (std::size_t i = 0; i < value.size(); ++i) {
      if (i) out += ", ";
      out += value_text(value[i]);
    }
    return out + "]";
  }
  if (value.is_object()) {
    std::string out = "{";
    bool first = true;
    for (const auto& [key, item] : value.items()) {
      if (!first) out += ", ";
      out += compact(json(key));
      out += ": ";
      out += value_text(item);
      first = false;
    }
    return out + "}";
  }
  return compact(value);
}

std::string condition_text(const json& when) {
  if (when.is_null()) return {};
  auto text = render(when);
  return text ? *text : compact(when);
}

std::string queue_text(const json& queue) {
  if (queue.is_null()) return "fifo";
  if (!queue.is_object() || !queue.contains("kind") || !queue["kind"].is_string())
    return compact(queue);
  std::string out = queue["kind"].get<std::string>();
  for (const auto& [key, value] : queue.items()) {
    if (key == "kind") continue;
    out += ' ';
    out += key;
    out += '=';
    if (key == "items" && value.is_array())
      out += std::to_string(value.size());
    else if (value.is_array() &&
             std::all_of(value.begin(), value.end(), [](const json& v) { return v.is_string(); })) {
      for (std::size_t i = 0; i < value.size(); ++i) {
        if (i) out += ',';
        out += value[i].get_ref<const std::string&>();
      }
    } else {
      out += value_text(value);
    }
  }
  return out;
}

}  // namespace agdf::client
