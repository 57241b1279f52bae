#pragma once
/// `co_await ctx.emit(item)`: how a node function hands an item downstream.
///
/// Emit is an Asio asynchronous operation rather than a coroutine, so an item handed to
/// destinations with room costs no coroutine frame and no allocation: the engine delivers
/// it at once and resumes the call through its own ready queue. When a destination is full
/// the call stays suspended (the back-pressure) until there is room. Only co_await it.

#include <exception>

#include <boost/asio/async_result.hpp>

#include "agdf/nodes/item.hpp"
#include "agdf/nodes/parked.hpp"

namespace agdf {

class NodeContext;

/// One item being emitted. It lives in the emitting coroutine's frame until the emit
/// completes, which is what lets the engine park it without allocating.
struct Emission : Parked {
  template <typename T>
  Emission(NodeContext& from, T&& value) : context(&from), item(std::forward<T>(value)) {}

  NodeContext* context;
  Item item;
  // The engine's bookkeeping while it delivers the item:
  std::size_t next_edge = 0;  ///< outgoing edges already served
  std::size_t slot = 0;       ///< the waiting edge's index among its destination's sources
};

class [[nodiscard]] Emit {
 public:
  /// Makes the item in place from `value` (anything an Item is constructible from).
  template <typename T>
  Emit(NodeContext& context, T&& value) : emission_(context, std::forward<T>(value)) {}
  Emit(const Emit&) = delete;
  Emit& operator=(const Emit&) = delete;

  template <boost::asio::completion_token_for<void(std::exception_ptr)> Token>
  auto operator()(Token&& token) && {
    return boost::asio::async_initiate<Token, void(std::exception_ptr)>(
        [this](auto handler) { start(Resumption(std::move(handler))); }, token);
  }

 private:
  void start(Resumption resume);  // defined in node_context.hpp

  Emission emission_;
};

}  // namespace agdf
