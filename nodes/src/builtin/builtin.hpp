#pragma once
// Shared by the built-in function files: the registration entry points, listed once
// in register_builtin_nodes.cpp, and the includes every function needs.

#include <chrono>
#include <cstdint>

#include <boost/asio/post.hpp>

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

/// Lets the run's other work in (a cancel, a stats tick, a consumer) every kItemsPerTurn
/// items of a long loop: an emit into a queue with room does not suspend, so without this a
/// loop of millions of emits would keep the run's strand to itself and ignore a cancel.
class Turns {
 public:
  static constexpr std::uint32_t kItemsPerTurn = 1024;
  /// True once every kItemsPerTurn calls: then `co_await Turns::yield()`.
  bool due() noexcept { return ++count_ % kItemsPerTurn == 0; }
  static asio::awaitable<void> yield() {
    co_await asio::post(co_await asio::this_coro::executor, asio::use_awaitable);
  }

 private:
  std::uint32_t count_ = 0;
};

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
