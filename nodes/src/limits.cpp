#include "agdf/nodes/limits.hpp"

namespace agdf {

std::string max_milliseconds_text() {
  return "at most " + std::to_string(kMaxMilliseconds) + " (30 days)";
}

}  // namespace agdf
