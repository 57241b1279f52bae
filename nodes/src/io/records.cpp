#include "records.hpp"

#include "agdf/nodes/node_error.hpp"

namespace agdf::io {

Json::array_t records_of(Json item, const char* function) {
  const auto refuse = [&](const Json& value) {
    return NodeError("TypeError", std::string(function) +
                                      " takes a record (an object) or a list of records, not " +
                                      type_name(value));
  };
  if (item.is_object() && !is_tuple(item)) return Json::array_t{std::move(item)};
  if (!item.is_array()) throw refuse(item);
  for (const Json& record : item)
    if (!record.is_object() || is_tuple(record)) throw refuse(record);
  return std::move(item.get_ref<Json::array_t&>());
}

const Json* find_field(const Json& record, std::string_view path) {
  if (!record.is_object()) return nullptr;
  if (auto it = record.find(path); it != record.end()) return &*it;
  const Json* at = &record;
  while (!path.empty()) {
    const auto dot = path.find('.');
    const auto key = path.substr(0, dot);
    if (!at->is_object()) return nullptr;
    auto it = at->find(key);
    if (it == at->end()) return nullptr;
    at = &*it;
    path = dot == std::string_view::npos ? std::string_view() : path.substr(dot + 1);
  }
  return at;
}

const char* type_name(const Json& value) {
  if (is_tuple(value)) return "a tuple";
  switch (value.type()) {
    case Json::value_t::object:
      return "an object";
    case Json::value_t::array:
      return "a list";
    case Json::value_t::string:
      return "a string";
    case Json::value_t::boolean:
      return "a boolean";
    case Json::value_t::null:
      return "null";
    default:
      return "a number";
  }
}

}  // namespace agdf::io
