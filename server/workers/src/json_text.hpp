#pragma once
// JSON text of the values crossing to and from workers. Most are small numbers, for which
// nlohmann's general serializer and parser cost more than the rest of a call; those take a
// short path, with exactly the result nlohmann would give.

#include <string>
#include <string_view>

#include "agdf/nodes/item.hpp"

namespace agdf::workers::detail {

/// Appends `value` as compact JSON (invalid UTF-8 replaced, as Json::dump with `replace`).
void append_json(std::string& out, const Json& value);

/// The value of JSON `text`; a discarded value when it is not JSON.
Json parse_json(std::string_view text);

}  // namespace agdf::workers::detail
