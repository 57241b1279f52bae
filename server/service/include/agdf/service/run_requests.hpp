#pragma once
/// The logic of the run RPCs apart from gRPC's reactors: AgdfService answers with these,
/// and so does the HTTP JSON API, so both say exactly the same thing.

#include <filesystem>
#include <string>

#include <grpcpp/support/status.h>

#include "agdf/nodes/registry.hpp"
#include "agdf/service/run_manager.hpp"
#include "agdf/v1/agdf.pb.h"

namespace agdf::service {

/// SubmitRun: validates and starts (or queues) the run. INVALID_ARGUMENT lists every
/// problem; RESOURCE_EXHAUSTED when the queue is full; UNAVAILABLE while shutting down.
grpc::Status submit_run(const v1::SubmitRunRequest& request, v1::SubmitRunResponse& response,
                        const Registry& registry, RunManager& runs,
                        const std::filesystem::path& data_dir);

/// GetRun: the run's RunInfo, or NOT_FOUND.
grpc::Status get_run(const std::string& run_id, v1::RunInfo& response, const RunManager& runs);

/// ListRuns: a page of runs, newest first; INVALID_ARGUMENT for a bad page token.
grpc::Status list_runs(const v1::ListRunsRequest& request, v1::ListRunsResponse& response,
                       const RunManager& runs);

/// NOT_FOUND for a run id the daemon does not know (or has forgotten).
grpc::Status unknown_run(const std::string& run_id);

}  // namespace agdf::service
