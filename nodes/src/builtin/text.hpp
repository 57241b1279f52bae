#pragma once
// Text helpers shared by built-ins that render items into strings.

#include <string>

#include "agdf/nodes/item.hpp"

namespace agdf::builtin {

/// An item as Python's str() would show it in an f-string: strings bare, the rest as
/// their display form.
inline std::string as_text(const Json& value) {
  return value.is_string() ? value.get<std::string>() : to_display(value);
}

}  // namespace agdf::builtin
