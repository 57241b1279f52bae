#pragma once
/// The built-in function library. Each function lives in its own file under
/// nodes/src/builtin/ and is listed once in register_builtin_nodes().

namespace agdf {

class Registry;

/// Adds every built-in function to `registry`.
void register_builtin_nodes(Registry& registry);

}  // namespace agdf
