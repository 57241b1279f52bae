#pragma once
// Turns an incoming item into call arguments, following the reference's rules:
// no parameters -> no arguments; unpack_input and a tuple -> positional; unpack_input
// and an object -> keywords; otherwise the item is the single argument.

#include <optional>
#include <string>
#include <vector>

#include "agdf/nodes/function.hpp"

namespace agdf::engine::detail {

/// Fills `args` (in parameter order, defaults applied) from `item`, which it consumes.
/// Returns the Python-style error message when the item does not fit the parameters.
std::optional<std::string> bind_item(Item& item, const std::vector<Param>& params,
                                     bool unpack_input, const std::string& function,
                                     std::vector<Json>& args);

/// Binds positional arguments, as for a start call.
std::optional<std::string> bind_positional(Json::array_t values, const std::vector<Param>& params,
                                           const std::string& function, std::vector<Json>& args);

}  // namespace agdf::engine::detail
