#pragma once
/// Fixed bounds on what a client may send, shared by every layer that reads it. A value past
/// a bound is refused when the graph is validated, with a message naming the field and the
/// bound; durations are also clamped before any conversion, so no arithmetic can overflow.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>

namespace agdf {

/// Nesting of arrays and objects in any JSON text the daemon reads (graph files, JSON
/// fields of a request, HTTP bodies, JSON lines). Deeper text is refused, not parsed.
inline constexpr std::size_t kMaxJsonDepth = 100;

/// The longest wait any millisecond setting may ask for: 30 days.
inline constexpr std::int64_t kMaxMilliseconds = std::int64_t{30} * 24 * 60 * 60 * 1000;

/// "at most 2592000000 (30 days)": how messages state the millisecond bound.
std::string max_milliseconds_text();

/// `duration` clamped to [0, kMaxMilliseconds], so converting it to a finer clock cannot
/// overflow whatever a caller computed.
constexpr std::chrono::milliseconds clamp_duration(std::chrono::milliseconds duration) noexcept {
  if (duration.count() < 0) return std::chrono::milliseconds(0);
  if (duration.count() > kMaxMilliseconds) return std::chrono::milliseconds(kMaxMilliseconds);
  return duration;
}

}  // namespace agdf
