#pragma once
/// Quoting client-supplied text in messages. A message names the value it is about, but a
/// client may send a node name of a megabyte: every message shows such a value shortened,
/// so one status never outgrows a gRPC client's metadata limit, however many it lists.

#include <cstddef>
#include <string>
#include <string_view>

#include "agdf/nodes/item.hpp"

namespace agdf {

/// How many bytes of a client's value a message shows.
inline constexpr std::size_t kQuotedBytes = 64;

/// `text` as it is when short; else its first kQuotedBytes bytes (cut at a character
/// boundary) followed by "... (N bytes)".
std::string shorten(std::string_view text);

/// shorten(text) in single quotes: 'name'.
std::string quote(std::string_view text);

/// A JSON value as compact text, shortened like shorten().
std::string shorten_json(const Json& value);

}  // namespace agdf
