#pragma once
// JSON text of the values crossing to and from workers. Most are small numbers, for which
// nlohmann's general serializer and parser cost more than the rest of a call; those take a
// short path, with exactly the result nlohmann would give.

#include <string>
#include <string_view>

#include "agdf/nodes/item.hpp"
#include "agdf/nodes/json_text.hpp"

namespace agdf::workers::detail {

/// Appends `value` as compact JSON (invalid UTF-8 replaced, as Json::dump with `replace`).
void append_json(std::string& out, const Json& value);

/// The value of JSON `text` a worker sent, or where and why it is not acceptable: read
/// with the bounded reader (nesting, UTF-8), so no worker can overflow the daemon's stack.
/// Duplicate keys are allowed (the last wins), as for any data.
JsonRead parse_json(std::string_view text);

}  // namespace agdf::workers::detail
