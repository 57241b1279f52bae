#pragma once
/// The values that flow between nodes.
///
/// An item is a JSON value. JSON has no tuple, but the reference semantics need one
/// (a tuple unpacks into positional arguments, a list does not), so a tuple is the
/// reserved one-key object `{"$tuple": [...]}`. That is also how tuples are written
/// in graph files and on the wire, so an item never needs converting.

#include <initializer_list>
#include <string>

#include <nlohmann/json.hpp>

namespace agdf {

using Json = nlohmann::json;
using Item = nlohmann::json;

/// The reserved key that marks a tuple.
inline constexpr const char* kTupleKey = "$tuple";

/// Makes a tuple item from its elements.
Item make_tuple(Json::array_t elements);
Item make_tuple(std::initializer_list<Json> elements);

/// True when the item is a tuple (an object whose only key is "$tuple" holding an array).
bool is_tuple(const Item& item) noexcept;

/// The elements of a tuple item; the item must be a tuple.
const Json::array_t& tuple_elements(const Item& item);
Json::array_t& tuple_elements(Item& item);

/// A short, Python-like rendering for logs and messages: tuples as (a, b), strings quoted.
std::string to_display(const Item& item);

}  // namespace agdf
