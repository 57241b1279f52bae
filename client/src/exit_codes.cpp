#include "agdf/client/exit_codes.hpp"

namespace agdf::client {
namespace {

bool has_node_errors(const v1::RunFinished& finished) noexcept {
  for (const auto& node : finished.stats())
    if (node.err() > 0) return true;
  for (const auto& node : finished.exceptions())
    if (node.errors_size() > 0) return true;
  return false;
}

}  // namespace

ExitCode exit_code_for(const v1::RunFinished& finished) noexcept {
  switch (finished.state()) {
    case v1::RUN_STATE_COMPLETED:
      return has_node_errors(finished) ? ExitCode::kNodeErrors : ExitCode::kOk;
    case v1::RUN_STATE_HALTED:
      return ExitCode::kHalted;
    case v1::RUN_STATE_CANCELLED:
      return ExitCode::kCancelled;
    default:
      return ExitCode::kFailed;
  }
}

ExitCode exit_code_for(const grpc::Status& status) noexcept {
  switch (status.error_code()) {
    case grpc::StatusCode::OK:
      return ExitCode::kOk;
    case grpc::StatusCode::UNAVAILABLE:
    case grpc::StatusCode::DEADLINE_EXCEEDED:
      return ExitCode::kUnreachable;
    case grpc::StatusCode::INVALID_ARGUMENT:
      return ExitCode::kInvalidGraph;
    default:
      return ExitCode::kRefused;
  }
}

}  // namespace agdf::client
