// The tasks of a run: consumers taking entries from a node's queue, start calls, and
// how one call is made (unpacking, retries, timeout) and what it yields is forwarded.
#include <cxxabi.h>

#include <algorithm>
#include <typeinfo>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/steady_timer.hpp>

#include "agdf/nodes/node_error.hpp"
#include "run.hpp"
#include "unpack.hpp"

namespace asio = boost::asio;

namespace agdf::engine::detail {
namespace {

std::string type_name(const std::exception& e) {
  int status = 0;
  const char* mangled = typeid(e).name();
  std::unique_ptr<char, void (*)(void*)> demangled(
      abi::__cxa_demangle(mangled, nullptr, nullptr, &status), std::free);
  return status == 0 && demangled ? demangled.get() : mangled;
}

/// What the exception a call ended with means: nothing (the run is stopping), or an
/// error record.
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

std::chrono::milliseconds backoff(const RetryPolicy& retry, std::int64_t failed_attempts) {
  std::int64_t delay = retry.backoff_ms;
  for (std::int64_t i = 1; i < failed_attempts && delay < (std::int64_t{1} << 40); ++i) delay *= 2;
  if (retry.max_backoff_ms > 0) delay = std::min(delay, retry.max_backoff_ms);
  return std::chrono::milliseconds(delay);
}

}  // namespace

asio::awaitable<void> Run::consume(NodeState& node) {
  TaskContext ctx(*this, node);
  std::vector<Json> args;
  const PlannedNode& plan = node.plan;
  for (;;) {
    if (node.queue.empty()) {
      if (node.queue.closed()) co_return;
      co_await node.queue.wait_for_item();
      continue;
    }
    if (auto error = bind_item(node.pop(), plan.function.params, plan.spec.unpack_input,
                               plan.spec.function, args))
      record_error(node, {kArgumentErrorType, std::move(*error)});
    else
      co_await invoke(ctx, args);
    work_done(node, 1);
  }
}

asio::awaitable<void> Run::call_start(NodeState& node, Json::array_t start_args) {
  TaskContext ctx(*this, node);
  std::vector<Json> args;
  if (auto error = bind_positional(std::move(start_args), node.plan.function.params,
                                   node.plan.spec.function, args))
    record_error(node, {kArgumentErrorType, std::move(*error)});
  else
    co_await invoke(ctx, args);
  work_done(node, 1);
}

asio::awaitable<void> Run::invoke(TaskContext& ctx, Args args) {
  NodeState& node = ctx.node();
  const NodeSpec& spec = node.plan.spec;
  ++node.active_calls;
  ctx.begin_call();
  std::optional<ErrorRecord> error;
  if (spec.retry.attempts > 1 || spec.timeout_ms > 0) {
    error = co_await call_with_policy(ctx, args);
  } else {
    try {  // the common case, kept to one coroutine frame
      co_await node.plan.function.body(ctx, args);
    } catch (...) {
      error = describe(std::current_exception());
    }
  }
  --node.active_calls;
  // Once the run is stopping, errors are the echo of the stop itself, not news.
  if (error && !stopping_) record_error(node, std::move(*error));
}

asio::awaitable<std::optional<ErrorRecord>> Run::call_with_policy(TaskContext& ctx, Args args) {
  NodeState& node = ctx.node();
  const RetryPolicy& retry = node.plan.spec.retry;
  // A body may consume its arguments; each attempt gets the original input.
  const std::vector<Json> input(args.begin(), args.end());
  for (std::int64_t attempt_number = 1;; ++attempt_number) {
    std::vector<Json> attempt_args = input;
    auto error = co_await attempt(ctx, attempt_args);
    if (!error || stopping_ || attempt_number >= retry.attempts) co_return error;

    const auto delay = backoff(retry, attempt_number);
    observer_->on_retry(node.plan.spec.name, attempt_number, *error, delay);
    ctx.begin_retry();
    if (delay.count() > 0) {
      asio::steady_timer timer(executor_, delay);
      co_await timer.async_wait(asio::as_tuple(asio::use_awaitable));
    }
    if (stopping_) co_return std::nullopt;
  }
}

asio::awaitable<std::optional<ErrorRecord>> Run::attempt(TaskContext& ctx, Args args) {
  using namespace asio::experimental::awaitable_operators;
  const PlannedNode& plan = ctx.node().plan;
  const std::int64_t timeout = plan.spec.timeout_ms;
  std::optional<ErrorRecord> error;
  try {
    if (timeout <= 0) {
      co_await plan.function.body(ctx, args);
    } else {
      // Whichever ends first cancels the other: a slow call is cancelled at its next wait.
      asio::steady_timer timer(executor_, std::chrono::milliseconds(timeout));
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

asio::awaitable<void> Run::forward(TaskContext& ctx, Item item) {
  if (stopping_) throw RunStopping{};
  if (ctx.is_replay()) co_return;  // an earlier attempt of this call forwarded it already
  NodeState& from = ctx.node();
  ++from.stats.out;
  if (from.capture) observer_->on_output(from.plan.spec.name, item);

  const auto& edges = from.plan.out;
  // With conditional edges, decide first which edges take the item, so the last
  // taker can have it moved rather than copied.
  std::vector<bool> takes;
  std::size_t last = edges.size() - 1;
  if (from.conditional) {
    takes.resize(edges.size());
    for (std::size_t i = 0; i < edges.size(); ++i)
      if ((takes[i] = !edges[i].when || edges[i].when->matches(item))) last = i;
  }
  for (std::size_t i = 0; i < edges.size(); ++i) {
    if (from.conditional && !takes[i]) continue;
    NodeState& to = *nodes_[edges[i].to];
    while (!to.accepts(edges[i].slot)) {
      co_await to.queue.wait_for_space();
      if (stopping_) throw RunStopping{};
    }
    ++to.stats.in;
    if (i == last)
      to.push(edges[i].slot, std::move(item));
    else
      to.push(edges[i].slot, item);
  }
}

}  // namespace agdf::engine::detail
