#include "engine/test_functions.hpp"

#include <algorithm>
#include <stdexcept>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "agdf/nodes/node_context.hpp"
#include "agdf/nodes/node_error.hpp"

namespace asio = boost::asio;

namespace agdf::test {
namespace {

FunctionDef define(std::string name, std::vector<Param> params, NodeBody body) {
  return {
      .name = name,
      .description = "test-only function",
      .params = params,
      .config_keys = {},
      .prepare = [body](const Json&) { return bind_without_config(body); },
  };
}

}  // namespace

FunctionDef recorder(std::string name, std::vector<Param> params, std::shared_ptr<CallLog> log) {
  return define(std::move(name), params,
                [log](NodeContext& ctx, Args args) -> asio::awaitable<void> {
                  log->calls.emplace_back(args.begin(), args.end());
                  // Not `co_await ctx.emit(cond ? a : b)`: GCC 12 frees that conditional
                  // temporary twice inside a coroutine (seen under valgrind).
                  Json first = args.empty() ? Json() : args[0];
                  co_await ctx.emit(std::move(first));
                });
}

FunctionDef overlap_probe(std::string name, std::shared_ptr<Overlap> state) {
  return define(std::move(name), {{"item", Json()}},
                [state](NodeContext& ctx, Args args) -> asio::awaitable<void> {
                  ++state->calls;
                  state->max_active = std::max(state->max_active, ++state->active);
                  if (state->active >= state->target) {
                    for (auto& timer : state->parked) timer->cancel();
                    state->parked.clear();
                  } else {
                    auto timer =
                        std::make_shared<asio::steady_timer>(ctx.executor(), state->patience);
                    state->parked.push_back(timer);
                    co_await timer->async_wait(asio::as_tuple(asio::use_awaitable));
                    std::erase(state->parked, timer);  // gone when patience ran out
                  }
                  --state->active;
                  co_await ctx.emit(std::move(args[0]));
                });
}

FunctionDef depth_producer(std::string name, std::int64_t count,
                           std::shared_ptr<QueueDepth> state) {
  return define(std::move(name), {},
                [count, state](NodeContext& ctx, Args) -> asio::awaitable<void> {
                  for (std::int64_t i = 0; i < count; ++i) {
                    co_await ctx.emit(i);
                    ++state->emitted;
                    state->max_depth = std::max(state->max_depth, state->emitted - state->taken);
                  }
                });
}

FunctionDef slow_consumer(std::string name, std::chrono::milliseconds delay,
                          std::shared_ptr<QueueDepth> state) {
  return define(std::move(name), {{"item", std::nullopt}},
                [delay, state](NodeContext& ctx, Args) -> asio::awaitable<void> {
                  ++state->taken;
                  co_await ctx.sleep_for(delay);
                });
}

FunctionDef emit_then_throw(std::string name) {
  return define(std::move(name), {{"item", std::nullopt}},
                [](NodeContext& ctx, Args args) -> asio::awaitable<void> {
                  const std::string shown = to_display(args[0]);
                  co_await ctx.emit(std::move(args[0]));
                  throw NodeError("ValueError", "failed after " + shown);
                  co_await ctx.emit("unreachable");
                });
}

FunctionDef throw_std(std::string name) {
  return define(std::move(name), {{"item", std::nullopt}},
                [](NodeContext&, Args args) -> asio::awaitable<void> {
                  throw std::out_of_range("out of range: " + to_display(args[0]));
                  co_return;
                });
}

FunctionDef bare_yields(std::string name, int times) {
  return define(std::move(name), {}, [times](NodeContext& ctx, Args) -> asio::awaitable<void> {
    for (int i = 0; i < times; ++i) co_await ctx.emit(Json());
  });
}

FunctionDef blocker(std::string name, std::function<void()> on_call) {
  return define(std::move(name), {{"item", Json()}},
                [on_call](NodeContext& ctx, Args args) -> asio::awaitable<void> {
                  if (on_call) on_call();
                  co_await ctx.sleep_for(std::chrono::minutes(1));
                  co_await ctx.emit(std::move(args[0]));
                });
}

}  // namespace agdf::test
