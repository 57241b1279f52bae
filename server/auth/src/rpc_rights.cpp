#include "agdf/auth/rpc_rights.hpp"

#include <array>

namespace agdf::auth {
namespace {

constexpr std::array kRpcRights{
    RpcRight{"ListFunctions", Right::read},   RpcRight{"ValidateGraph", Right::read},
    RpcRight{"SubmitRun", Right::submit},     RpcRight{"WatchRun", Right::read},
    RpcRight{"GetRun", Right::read},          RpcRight{"ListRuns", Right::read},
    RpcRight{"CancelRun", Right::cancel_own}, RpcRight{"SubmitAndWatch", Right::submit},
};

constexpr std::array kWorkerRpcRights{
    RpcRight{"AgdfWorkers.Connect", Right::register_functions},
};

}  // namespace

std::span<const RpcRight> rpc_rights() noexcept {
  return kRpcRights;
}

std::span<const RpcRight> worker_rpc_rights() noexcept {
  return kWorkerRpcRights;
}

std::optional<Right> required_right(std::string_view rpc) noexcept {
  for (const auto& row : kRpcRights)
    if (row.rpc == rpc) return row.right;
  for (const auto& row : kWorkerRpcRights)
    if (row.rpc == rpc) return row.right;
  return std::nullopt;
}

}  // namespace agdf::auth
