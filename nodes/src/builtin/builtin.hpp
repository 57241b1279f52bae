#pragma once
// Shared by the built-in function files: the registration entry points, listed once
// in register_builtin_nodes.cpp, and the includes every function needs.

#include <chrono>
#include <cstdint>

#include "agdf/nodes/config_reader.hpp"
#include "agdf/nodes/node_context.hpp"
#include "agdf/nodes/registry.hpp"

namespace agdf::builtin {

namespace asio = boost::asio;
using std::chrono::milliseconds;

/// Reads the optional `delay_ms` key several functions share (0 to 30 days, default 0).
inline std::int64_t read_delay_ms(ConfigReader& reader) {
  return reader.get_milliseconds("delay_ms", milliseconds(0)).count();
}

inline ConfigKey delay_ms_key(const char* what) {
  return {"delay_ms", std::string("milliseconds to wait before ") + what, 0, false};
}

void register_values(Registry& registry);
void register_range(Registry& registry);
void register_echo(Registry& registry);
void register_title_case(Registry& registry);
void register_sleep(Registry& registry);
void register_repeat(Registry& registry);
void register_fail_if(Registry& registry);
void register_template(Registry& registry);
void register_print(Registry& registry);
void register_discard(Registry& registry);

}  // namespace agdf::builtin
