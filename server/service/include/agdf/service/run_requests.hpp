#pragma once
/// The logic of the run RPCs apart from gRPC's reactors: what a submission must pass
/// (limits, validation, the principal's run count), where a run is found (in memory, else
/// in the run history), and how a page of runs is listed. AgdfService answers with these,
/// and so does the HTTP JSON API, so both say exactly the same thing.

#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include <grpcpp/support/status.h>

#include "agdf/engine/validate.hpp"
#include "agdf/limits/principal_runs.hpp"
#include "agdf/limits/request_limits.hpp"
#include "agdf/nodes/catalog.hpp"
#include "agdf/nodes/egress_policy.hpp"
#include "agdf/nodes/registry.hpp"
#include "agdf/service/run_history.hpp"
#include "agdf/service/run_manager.hpp"
#include "agdf/v1/agdf.pb.h"

namespace agdf::service {

/// What guards a request: what one may ask for, and where the network functions of its
/// runs may connect.
struct RequestGuards {
  limits::RequestLimits limits;
  /// Null: network functions may connect anywhere.
  std::shared_ptr<const EgressPolicy> egress;
};

/// Adjusts a validated plan before it runs (the worker hub pipelines calls of
/// worker-served functions); the identity when unset.
using PlanHook =
    std::function<std::shared_ptr<const engine::Plan>(std::shared_ptr<const engine::Plan>)>;

class RunRequests {
 public:
  /// How a submission ended: OK with the accepted run, or the status refusing it.
  using Answer = std::function<void(grpc::Status, const Submission&)>;

  /// `history` may be null (the daemon keeps runs in memory only).
  RunRequests(const Registry& registry, RunManager& runs, std::filesystem::path data_dir,
              RequestGuards guards = {}, RunHistory* history = nullptr);
  /// The same over a live catalog: validation and functions() read it afresh each time
  /// (worker functions come and go); `plan_hook` adjusts each accepted run's plan.
  RunRequests(const Catalog& catalog, PlanHook plan_hook, RunManager& runs,
              std::filesystem::path data_dir, RequestGuards guards = {},
              RunHistory* history = nullptr);

  /// The functions now (ListFunctions); a snapshot that stays valid.
  std::shared_ptr<const Registry> functions() const;

  /// Every problem of a graph: validation's own, then this daemon's limits.
  engine::Validation validate(const v1::GraphDefinition& definition) const;

  /// SubmitRun: limits, validation, then the run manager; `principal` submits it and counts
  /// it against its limit until the run ends. `answer` hears the outcome once the run is
  /// durable (INVALID_ARGUMENT lists every problem; RESOURCE_EXHAUSTED when full;
  /// UNAVAILABLE while shutting down or when it cannot be stored).
  void submit(const v1::SubmitRunRequest& request, const std::string& principal, Answer answer);

  /// GetRun: the run's RunInfo, from memory or the history, or NOT_FOUND.
  grpc::Status get_run(const std::string& run_id, v1::RunInfo& response) const;

  /// ListRuns: a page of runs, newest first; INVALID_ARGUMENT for a bad page token.
  grpc::Status list_runs(const v1::ListRunsRequest& request, v1::ListRunsResponse& response) const;

  /// A run only the history holds (it finished before the daemon last started, or long ago).
  std::optional<v1::RunInfo> stored_run(const std::string& run_id) const;

  RunManager& runs() noexcept { return runs_; }
  RunHistory* history() const noexcept { return history_; }
  const ValidationContext& validation_context() const noexcept { return validation_context_; }

 private:
  RunRequests(const Registry* registry, const Catalog* catalog, PlanHook plan_hook,
              RunManager& runs, std::filesystem::path data_dir, RequestGuards guards,
              RunHistory* history);

  const Registry* const registry_;  ///< fixed functions, or
  const Catalog* const catalog_;    ///< the live ones
  const PlanHook plan_hook_;
  RunManager& runs_;
  const std::filesystem::path data_dir_;
  const limits::RequestLimits limits_;
  const ValidationContext validation_context_;
  /// Shared with the callbacks that count a run out when it ends, which may outlive this.
  const std::shared_ptr<limits::PrincipalRuns> principal_runs_;
  RunHistory* const history_;
};

/// NOT_FOUND for a run id the daemon does not know (or has forgotten).
grpc::Status unknown_run(const std::string& run_id);

}  // namespace agdf::service
