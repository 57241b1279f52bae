#include "calls.hpp"

#include <boost/asio/async_result.hpp>

#include "agdf/nodes/node_error.hpp"
#include "call_policy.hpp"
#include "node_state.hpp"
#include "unpack.hpp"
#include "work_ledger.hpp"

namespace asio = boost::asio;

namespace agdf::engine::detail {
namespace {

/// `co_await WaitForEntry{node}`: parks the consumer on its node until an entry arrives or
/// the queue closes. An asynchronous operation, not a coroutine: no frame to allocate.
class WaitForEntry {
 public:
  explicit WaitForEntry(NodeState& node) : node_(node) {}

  template <boost::asio::completion_token_for<void(std::exception_ptr)> Token>
  auto operator()(Token&& token) && {
    return asio::async_initiate<Token, void(std::exception_ptr)>(
        [this](auto handler) {
          parked_.resume = Resumption(std::move(handler));
          node_.wait_for_entry(parked_);
        },
        token);
  }

 private:
  NodeState& node_;
  Parked parked_;
};

void report(CallEnvironment& run, NodeState& node, std::exception_ptr failure) {
  // Once the run is stopping, errors are the echo of the stop itself, not news.
  if (run.stopping) return;
  if (auto error = describe(failure)) run.errors.node_error(node, std::move(*error));
}

/// One call, with the node's policy when it has one.
asio::awaitable<void> call(CallEnvironment& run, TaskContext& ctx, Args args) {
  NodeState& node = ctx.node();
  ++node.active_calls;
  ctx.begin_call();
  if (has_policy(node.plan().spec)) {
    auto error = co_await call_with_policy(run, ctx, args);
    --node.active_calls;
    if (error && !run.stopping) run.errors.node_error(node, std::move(*error));
    co_return;
  }
  std::exception_ptr failure;
  try {
    co_await node.plan().function.body(ctx, args);
  } catch (...) {
    failure = std::current_exception();
  }
  --node.active_calls;
  if (failure) report(run, node, failure);
}

}  // namespace

asio::awaitable<void> consume(CallEnvironment& run, NodeState& node) {
  TaskContext ctx(run, node);
  Item entry;
  std::vector<Json> args;
  const PlannedNode& plan = node.plan();
  const bool plain = !has_policy(plan.spec);
  for (;;) {
    if (!node.has_entry()) {
      if (node.closed()) co_return;
      co_await WaitForEntry(node);
      continue;
    }
    node.pop_into(entry);
    if (auto error =
            bind_item(entry, plan.params, plan.spec.unpack_input, plan.spec.function, args)) {
      run.errors.node_error(node, {kArgumentErrorType, std::move(*error)});
    } else if (plain) {
      // The common case without the frame of call(): one frame per item, the body's own.
      ++node.active_calls;
      ctx.begin_call();
      std::exception_ptr failure;
      try {
        co_await plan.function.body(ctx, args);
      } catch (...) {
        failure = std::current_exception();
      }
      --node.active_calls;
      if (failure) report(run, node, failure);
    } else {
      co_await call(run, ctx, args);
    }
    run.work.done(node.index());
  }
}

asio::awaitable<void> call_start(CallEnvironment& run, NodeState& node, Json::array_t args) {
  TaskContext ctx(run, node);
  std::vector<Json> bound;
  const PlannedNode& plan = node.plan();
  if (auto error = bind_positional(std::move(args), plan.params, plan.spec.function, bound))
    run.errors.node_error(node, {kArgumentErrorType, std::move(*error)});
  else
    co_await call(run, ctx, bound);
  run.work.done(node.index());
}

}  // namespace agdf::engine::detail
