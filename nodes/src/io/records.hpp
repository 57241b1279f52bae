#pragma once
// Helpers for the functions that take records (JSON objects): csv.write, jsonl.write,
// json.pick, json.flatten and filter.

#include <string_view>

#include "agdf/nodes/item.hpp"

namespace agdf::io {

/// A record as a one-element list, or a list of records as it is. Anything else (or a list
/// holding a non-object) is a node error naming `function`.
Json::array_t records_of(Json item, const char* function);

/// Applies `shape` to a record, or to each record of a list, keeping the input's form
/// (a record in, a record out; a list in, a list out). Errors as records_of().
template <typename Shape>
Json reshape_records(Json item, const char* function, Shape&& shape) {
  const bool list = item.is_array();
  Json::array_t records = records_of(std::move(item), function);
  for (Json& record : records) record = shape(record);
  return list ? Json(std::move(records)) : std::move(records.front());
}

/// The value at `path` in `record`: the key `path` itself if the record has it, otherwise the
/// dotted path ("address.city" is record["address"]["city"]); nullptr when absent.
const Json* find_field(const Json& record, std::string_view path);

/// A short name of a value's JSON type, for messages ("object", "list", "string", ...).
const char* type_name(const Json& value);

}  // namespace agdf::io
