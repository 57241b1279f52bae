#include "agdf/v1/unix_time.hpp"

#include <cstdio>
#include <ctime>

namespace agdf::v1 {

std::string utc_time(std::int64_t unix_ms) {
  const std::time_t seconds = static_cast<std::time_t>(unix_ms / 1000);
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  char buffer[40];
  const std::size_t n = std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%S", &utc);
  std::snprintf(buffer + n, sizeof buffer - n, ".%03dZ", static_cast<int>(unix_ms % 1000));
  return buffer;
}

}  // namespace agdf::v1
