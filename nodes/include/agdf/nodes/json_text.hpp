#pragma once
/// Reading JSON text a client controls. nlohmann's own parser does not bound nesting, and
/// copying, comparing or printing a deeply nested value recurses once per level: a 100,000-deep
/// value sent by a client would overflow the stack later. This reader refuses text nested
/// deeper than a bound, invalid UTF-8 and (optionally) duplicate object keys, and says where.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "agdf/nodes/item.hpp"
#include "agdf/nodes/limits.hpp"

namespace agdf {

/// Where JSON text went wrong, and how.
struct JsonTextError {
  enum class Kind { syntax, invalid_utf8, too_deep, duplicate_key };
  Kind kind = Kind::syntax;
  std::size_t offset = 0;  ///< byte offset from 0
  std::size_t line = 1;    ///< from 1
  std::size_t column = 1;  ///< byte within the line, from 1
  std::string message;     ///< e.g. "syntax error while parsing object - unexpected '}'; ..."

  /// "line 3, column 7: <message>".
  std::string to_string() const;
};

struct JsonReadOptions {
  std::size_t max_depth = kMaxJsonDepth;
  /// A key twice in one object is an error (graph documents); else the last one wins (data).
  bool reject_duplicate_keys = true;
};

/// The value of `text`, or where and why it is not acceptable JSON. Never throws on input.
struct JsonRead {
  Json value;
  std::optional<JsonTextError> error;
};

JsonRead read_json_text(std::string_view text, const JsonReadOptions& options = {});

/// Byte offset of the first byte of `text` that is not part of valid UTF-8 (overlong forms,
/// surrogates and code points past U+10FFFF are invalid), or nullopt when it all is.
std::optional<std::size_t> invalid_utf8_offset(std::string_view text);

/// How deeply arrays and objects nest in `value` (a scalar: 0, [] or {}: 1). Iterative, so
/// it is safe on values of any depth.
std::size_t json_depth(const Json& value);

/// True when `value` nests at most `max_depth` deep; stops looking past the bound.
bool within_depth(const Json& value, std::size_t max_depth = kMaxJsonDepth);

}  // namespace agdf
