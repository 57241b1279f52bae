#pragma once
/// The names of run states, as logs, the CLI, the one-shot runner and the documentation
/// write them: the one table of them.

#include <optional>
#include <string_view>

#include "agdf/v1/agdf.pb.h"

namespace agdf::v1 {

/// "queued", "running", "completed", "halted", "cancelled", "failed" ("unspecified").
std::string_view state_name(RunState state) noexcept;

/// The state a name (as state_name writes it) stands for.
std::optional<RunState> parse_state_name(std::string_view name) noexcept;

/// True for COMPLETED, HALTED, CANCELLED and FAILED.
bool is_final(RunState state) noexcept;

}  // namespace agdf::v1
