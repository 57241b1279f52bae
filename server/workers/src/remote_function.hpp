#pragma once
// A worker-served function as the engine sees it: one more FunctionDef, whose body hands
// each call to the Dispatcher and forwards what the worker yields with ctx.emit(), so
// back-pressure, halting, timeouts and the retry replay rule work as for built-ins.

#include <cstddef>
#include <memory>
#include <string>

#include <boost/asio/awaitable.hpp>

#include "agdf/nodes/function.hpp"
#include "agdf/nodes/node_context.hpp"
#include "registration.hpp"

namespace agdf::workers::detail {

class Dispatcher;
struct NodeLanes;
struct Pool;

/// The body of a worker-served function. A named type rather than a lambda, so a plan's
/// nodes can be recognised as worker-served and given lanes (see WorkerHub::pipeline).
struct RemoteBody {
  Dispatcher* dispatcher;
  std::shared_ptr<const std::string> function;
  std::shared_ptr<const Signature> signature;
  /// 0: each call in a lane of its own; N: the node's calls share N lanes.
  std::size_t lanes = 0;
  /// With lanes: the node's lanes. A pipelined plan is made for one run (WorkerHub::
  /// pipeline), so its bodies can hold them; found per call otherwise, at a cost.
  std::shared_ptr<NodeLanes> node_lanes;

  boost::asio::awaitable<void> operator()(NodeContext& ctx, Args args) const;
};

/// The catalog entry of a pool's function.
FunctionDef remote_function(Dispatcher& dispatcher, const Pool& pool);

}  // namespace agdf::workers::detail
