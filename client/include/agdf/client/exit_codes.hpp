#pragma once
/// The exit status of every `agdf` command: a contract scripts and the container
/// HEALTHCHECK rely on, so the numbers never change.

#include <grpcpp/support/status.h>

#include "agdf/v1/agdf.pb.h"

namespace agdf::client {

enum class ExitCode : int {
  kOk = 0,            ///< completed with no node errors (or the command did its job)
  kNodeErrors = 1,    ///< completed, but some node raised errors (or health: not serving)
  kInvalidGraph = 2,  ///< the graph is invalid, or the graph file cannot be read
  kHalted = 3,        ///< a node with halt_on_exception stopped the run
  kCancelled = 4,     ///< the run was cancelled
  kFailed = 5,        ///< the run failed (the daemon could not run it)
  kUnreachable = 6,   ///< the daemon could not be reached
  kRefused = 7,       ///< the daemon refused the request (unknown run, daemon full, ...)
  kUsage = 64,        ///< the command line is wrong
  kToolMissing = 69,  ///< a program the command needs is not installed (Graphviz for svg)
};

constexpr int to_int(ExitCode code) noexcept {
  return static_cast<int>(code);
}

/// How a finished run ends the `run`/`watch` command.
ExitCode exit_code_for(const v1::RunFinished& finished) noexcept;

/// How a failed RPC ends a command: unreachable, invalid request, or refused.
ExitCode exit_code_for(const grpc::Status& status) noexcept;

}  // namespace agdf::client
