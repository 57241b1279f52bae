#pragma once
/// The one table that says which right each RPC needs, so "every role against every
/// RPC" is data (README "Security" prints it; the tests walk it).

#include <optional>
#include <span>
#include <string_view>

#include "agdf/auth/roles.hpp"

namespace agdf::auth {

/// An RPC of agdf.v1.Agdf (its method name) and the right a caller needs for it.
struct RpcRight {
  std::string_view rpc;
  Right right;
};

/// Every RPC of agdf.v1.Agdf. CancelRun needs cancel_own here; cancelling another
/// principal's run also needs cancel_any, which the handler checks against the run.
std::span<const RpcRight> rpc_rights() noexcept;

/// The RPCs of agdf.v1.AgdfWorkers (as "AgdfWorkers.Connect") and the rights they need.
std::span<const RpcRight> worker_rpc_rights() noexcept;

/// The right `rpc` needs (either table); nullopt for an RPC in neither (refused).
std::optional<Right> required_right(std::string_view rpc) noexcept;

}  // namespace agdf::auth
