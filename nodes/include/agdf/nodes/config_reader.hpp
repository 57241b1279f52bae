#pragma once
/// Reads typed values out of a node's config, collecting every problem so a graph
/// reports all of them at once instead of stopping at the first.

#include <chrono>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "agdf/nodes/item.hpp"
#include "agdf/nodes/limits.hpp"

namespace agdf {

class ConfigReader {
 public:
  /// `prefix` starts every problem about a key ("config.delay_ms must be ...").
  explicit ConfigReader(const Json& config, std::string prefix = "config.")
      : config_(config), prefix_(std::move(prefix)) {}

  /// The value at `key` converted to T, or `fallback` when absent. A value that does not
  /// convert is a problem ("config.key must be <what>") and yields `fallback`.
  template <typename T>
  T get(const std::string& key, T fallback, const char* what) {
    auto it = config_.find(key);
    if (it == config_.end() || it->is_null()) return fallback;
    if (!matches<T>(*it)) {
      problems_.push_back(prefix_ + key + " must be " + what);
      return fallback;
    }
    if constexpr (std::is_integral_v<T> && !std::is_same_v<T, bool>) {
      if (!fits<T>(*it)) {
        problems_.push_back(prefix_ + key + " must be between " +
                            std::to_string(std::numeric_limits<T>::min()) + " and " +
                            std::to_string(std::numeric_limits<T>::max()));
        return fallback;
      }
    }
    return it->template get<T>();
  }

  /// A millisecond setting at `key`: an integer from `min` to kMaxMilliseconds (30 days),
  /// or `fallback` when absent; anything else is a problem naming the key and the bound.
  std::chrono::milliseconds get_milliseconds(const std::string& key,
                                             std::chrono::milliseconds fallback,
                                             std::int64_t min = 0) {
    const auto ms = get<std::int64_t>(key, fallback.count(), "an integer");
    if (ms < min || ms > kMaxMilliseconds) {
      problems_.push_back(prefix_ + key + " must be " +
                          (ms < min ? ">= " + std::to_string(min) : max_milliseconds_text()));
      return fallback;
    }
    return std::chrono::milliseconds(ms);
  }

  /// Records a problem found by the caller's own checks.
  void problem(std::string message) { problems_.push_back(std::move(message)); }

  bool ok() const noexcept { return problems_.empty(); }
  std::vector<std::string>& problems() noexcept { return problems_; }

 private:
  template <typename T>
  static bool matches(const Json& v) {
    if constexpr (std::is_same_v<T, bool>)
      return v.is_boolean();
    else if constexpr (std::is_integral_v<T>)
      return v.is_number_integer();
    else if constexpr (std::is_floating_point_v<T>)
      return v.is_number();
    else if constexpr (std::is_same_v<T, std::string>)
      return v.is_string();
    else if constexpr (std::is_same_v<T, Json::array_t>)
      return v.is_array();
    else if constexpr (std::is_same_v<T, Json::object_t>)
      return v.is_object();
    else
      return true;  // Json: anything goes
  }

  /// Whether an integer JSON value (signed or unsigned, up to 64 bits) fits in T.
  template <typename T>
  static bool fits(const Json& v) {
    if (v.is_number_unsigned())
      return v.get<std::uint64_t>() <= static_cast<std::uint64_t>(std::numeric_limits<T>::max());
    const auto n = v.get<std::int64_t>();
    if constexpr (std::is_unsigned_v<T>)
      return n >= 0 && static_cast<std::uint64_t>(n) <= std::numeric_limits<T>::max();
    else
      return n >= std::numeric_limits<T>::min() && n <= std::numeric_limits<T>::max();
  }

  const Json& config_;
  std::string prefix_;
  std::vector<std::string> problems_;
};

}  // namespace agdf
