#include "call_policy.hpp"

#include <cxxabi.h>

#include <algorithm>
#include <typeinfo>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "agdf/nodes/node_error.hpp"
#include "node_state.hpp"

namespace asio = boost::asio;

namespace agdf::engine::detail {
namespace {

/// Longer waits are clamped before conversion to the timer's nanoseconds (which would
/// overflow); validation refuses them anyway.
constexpr std::int64_t kMaxWaitMs = std::int64_t{1} << 40;

std::chrono::milliseconds clamped_ms(std::int64_t ms) {
  return std::chrono::milliseconds(std::clamp<std::int64_t>(ms, 0, kMaxWaitMs));
}

std::string type_name(const std::exception& e) {
  int status = 0;
  const char* mangled = typeid(e).name();
  std::unique_ptr<char, void (*)(void*)> demangled(
      abi::__cxa_demangle(mangled, nullptr, nullptr, &status), std::free);
  return status == 0 && demangled ? demangled.get() : mangled;
}

std::chrono::milliseconds backoff(const RetryPolicy& retry, std::int64_t failed_attempts) {
  std::int64_t delay = std::clamp<std::int64_t>(retry.backoff_ms, 0, kMaxWaitMs);
  for (std::int64_t i = 1; i < failed_attempts && delay < kMaxWaitMs; ++i) delay *= 2;
  if (retry.max_backoff_ms > 0) delay = std::min(delay, retry.max_backoff_ms);
  return clamped_ms(delay);
}

/// One attempt, cancelled when it outlasts the node's timeout.
asio::awaitable<std::optional<ErrorRecord>> attempt(CallEnvironment& run, TaskContext& ctx,
                                                    Args args) {
  using namespace asio::experimental::awaitable_operators;
  const PlannedNode& plan = ctx.node().plan();
  const std::int64_t timeout = plan.spec.timeout_ms;
  std::optional<ErrorRecord> error;
  try {
    if (timeout <= 0) {
      co_await plan.function.body(ctx, args);
    } else {
      // Whichever ends first cancels the other: a slow call is cancelled at its next wait.
      asio::steady_timer timer(run.executor, clamped_ms(timeout));
      auto first =
          co_await (plan.function.body(ctx, args) || timer.async_wait(asio::use_awaitable));
      if (first.index() == 1)
        error = ErrorRecord{"TimeoutError", "timed out after " + std::to_string(timeout) + " ms"};
    }
  } catch (...) {
    error = describe(std::current_exception());
  }
  co_return error;
}

}  // namespace

std::optional<ErrorRecord> describe(std::exception_ptr error) {
  try {
    std::rethrow_exception(error);
  } catch (const RunStopping&) {
    return std::nullopt;
  } catch (const NodeError& e) {
    return ErrorRecord{e.type(), e.what()};
  } catch (const std::exception& e) {
    return ErrorRecord{type_name(e), e.what()};
  } catch (...) {
    return ErrorRecord{"unknown", "a non-standard exception was thrown"};
  }
}

asio::awaitable<std::optional<ErrorRecord>> call_with_policy(CallEnvironment& run, TaskContext& ctx,
                                                             Args args) {
  const NodeSpec& spec = ctx.node().plan().spec;
  // A body may consume its arguments; each attempt gets the original input.
  const std::vector<Json> input(args.begin(), args.end());
  for (std::int64_t attempt_number = 1;; ++attempt_number) {
    std::vector<Json> attempt_args = input;
    auto error = co_await attempt(run, ctx, attempt_args);
    if (!error || run.stopping || attempt_number >= spec.retry.attempts) co_return error;

    const auto delay = backoff(spec.retry, attempt_number);
    run.observers.on_retry(spec.name, attempt_number, *error, delay);
    ctx.begin_retry();
    if (delay.count() > 0) {
      asio::steady_timer timer(run.executor, delay);
      co_await timer.async_wait(asio::as_tuple(asio::use_awaitable));
    }
    if (run.stopping) co_return std::nullopt;
  }
}

}  // namespace agdf::engine::detail
