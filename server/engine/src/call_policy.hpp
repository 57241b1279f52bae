#pragma once
// How one call of a node's function is made: its retry and timeout policy, and what the
// exception it ended with means. The one place either policy lives.

#include <exception>
#include <optional>

#include <boost/asio/awaitable.hpp>

#include "agdf/engine/run_result.hpp"
#include "agdf/nodes/function.hpp"
#include "call_environment.hpp"
#include "task_context.hpp"

namespace agdf::engine::detail {

/// Nothing when the call ended because the run is stopping; else its error record.
std::optional<ErrorRecord> describe(std::exception_ptr error);

/// Whether `spec` asks for more than one plain attempt.
inline bool has_policy(const NodeSpec& spec) {
  return spec.retry.attempts > 1 || spec.timeout_ms > 0;
}

/// Calls the function of `ctx`'s node with `args` under its retry and timeout policy.
/// Failed attempts that will be retried are reported as retries; the final failure is
/// returned. A retried call does not forward again what an earlier attempt forwarded.
boost::asio::awaitable<std::optional<ErrorRecord>> call_with_policy(CallEnvironment& run,
                                                                    TaskContext& ctx, Args args);

}  // namespace agdf::engine::detail
