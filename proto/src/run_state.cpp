#include "agdf/v1/run_state.hpp"

#include <array>
#include <utility>

namespace agdf::v1 {
namespace {

constexpr std::array<std::pair<RunState, std::string_view>, 6> kStateNames{{
    {RUN_STATE_QUEUED, "queued"},
    {RUN_STATE_RUNNING, "running"},
    {RUN_STATE_COMPLETED, "completed"},
    {RUN_STATE_HALTED, "halted"},
    {RUN_STATE_CANCELLED, "cancelled"},
    {RUN_STATE_FAILED, "failed"},
}};

}  // namespace

std::string_view state_name(RunState state) noexcept {
  for (const auto& [value, name] : kStateNames)
    if (value == state) return name;
  return "unspecified";
}

std::optional<RunState> parse_state_name(std::string_view name) noexcept {
  for (const auto& [value, known] : kStateNames)
    if (known == name) return value;
  return std::nullopt;
}

bool is_final(RunState state) noexcept {
  return state == RUN_STATE_COMPLETED || state == RUN_STATE_HALTED ||
         state == RUN_STATE_CANCELLED || state == RUN_STATE_FAILED;
}

}  // namespace agdf::v1
