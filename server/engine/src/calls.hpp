#pragma once
// The tasks of a run: consumers, which take entries from a node's queue and call its
// function with each, and start calls, which call a start node once with its arguments.

#include <boost/asio/awaitable.hpp>

#include "agdf/nodes/item.hpp"
#include "call_environment.hpp"

namespace agdf::engine::detail {

/// Takes entries from `node` until its queue closes; one call at a time.
boost::asio::awaitable<void> consume(CallEnvironment& run, NodeState& node);

/// Calls start node `node` once with positional `args`.
boost::asio::awaitable<void> call_start(CallEnvironment& run, NodeState& node, Json::array_t args);

}  // namespace agdf::engine::detail
