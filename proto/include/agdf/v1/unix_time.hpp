#pragma once
/// The wire's times (milliseconds since the Unix epoch) as people read them: the one way
/// logs, failures and the CLI write a time.

#include <cstdint>
#include <string>

namespace agdf::v1 {

/// "2026-11-30T21:17:53.123Z" (UTC, milliseconds).
std::string utc_time(std::int64_t unix_ms);

}  // namespace agdf::v1
