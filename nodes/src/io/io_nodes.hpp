#pragma once
/// The real-world functions (HTTP, files, record shaping): one entry point, listed once
/// in register_builtin_nodes().

namespace agdf {
class Registry;
}

namespace agdf::builtin {

/// Adds http.get, http.paginate, csv.write, csv.read, jsonl.write, jsonl.read, lines.read,
/// json.pick, json.flatten and filter to `registry`.
void register_io_nodes(Registry& registry);

}  // namespace agdf::builtin
