#pragma once
/// The agdf.v1.Agdf gRPC service on the callback API: no thread per call. Handlers
/// convert between proto and engine types and hand runs to the RunManager; runs no longer
/// in memory are answered from the run history, when the daemon has one.

#include <filesystem>
#include <functional>
#include <memory>
#include <string_view>

#include "agdf/auth/call_auth.hpp"
#include "agdf/engine/plan.hpp"
#include "agdf/engine/validate.hpp"
#include "agdf/limits/principal_runs.hpp"
#include "agdf/limits/request_limits.hpp"
#include "agdf/nodes/catalog.hpp"
#include "agdf/nodes/egress_policy.hpp"
#include "agdf/service/run_history.hpp"
#include "agdf/service/run_manager.hpp"
#include "agdf/service/stream_count.hpp"
#include "agdf/v1/agdf.grpc.pb.h"

namespace agdf::service {

/// Adjusts a validated plan before it runs (the worker hub pipelines calls of
/// worker-served functions); the identity when unset.
using PlanHook =
    std::function<std::shared_ptr<const engine::Plan>(std::shared_ptr<const engine::Plan>)>;

/// What guards the service: who may call, what one request may ask for, and where the
/// network functions of its runs may connect.
struct ServiceGuards {
  /// Null: every caller is the anonymous admin (a daemon without tokens).
  const auth::CallAuthenticator* auth = nullptr;
  limits::RequestLimits limits;
  /// Null: network functions may connect anywhere.
  std::shared_ptr<const EgressPolicy> egress;
};

class AgdfService final : public v1::Agdf::CallbackService {
 public:
  /// Validation and ListFunctions read `catalog` afresh on each call: worker functions
  /// come and go while the daemon runs. `history` may be null (the daemon keeps runs in
  /// memory only).
  AgdfService(const Catalog& catalog, RunManager& runs, std::filesystem::path data_dir,
              ServiceGuards guards = {}, PlanHook plan_hook = {}, RunHistory* history = nullptr);

  grpc::ServerUnaryReactor* ListFunctions(grpc::CallbackServerContext* context,
                                          const v1::ListFunctionsRequest* request,
                                          v1::ListFunctionsResponse* response) override;
  grpc::ServerUnaryReactor* ValidateGraph(grpc::CallbackServerContext* context,
                                          const v1::ValidateGraphRequest* request,
                                          v1::ValidateGraphResponse* response) override;
  grpc::ServerUnaryReactor* SubmitRun(grpc::CallbackServerContext* context,
                                      const v1::SubmitRunRequest* request,
                                      v1::SubmitRunResponse* response) override;
  grpc::ServerWriteReactor<v1::RunEvent>* WatchRun(grpc::CallbackServerContext* context,
                                                   const v1::WatchRunRequest* request) override;
  grpc::ServerUnaryReactor* GetRun(grpc::CallbackServerContext* context,
                                   const v1::GetRunRequest* request,
                                   v1::RunInfo* response) override;
  grpc::ServerUnaryReactor* ListRuns(grpc::CallbackServerContext* context,
                                     const v1::ListRunsRequest* request,
                                     v1::ListRunsResponse* response) override;
  grpc::ServerUnaryReactor* CancelRun(grpc::CallbackServerContext* context,
                                      const v1::CancelRunRequest* request,
                                      v1::CancelRunResponse* response) override;
  grpc::ServerWriteReactor<v1::RunEvent>* SubmitAndWatch(
      grpc::CallbackServerContext* context, const v1::SubmitRunRequest* request) override;

  /// WatchRun streams still open (shutdown lets them deliver RunFinished first).
  StreamCount& open_watches() noexcept { return open_watches_; }

 private:
  /// The caller of `rpc`, or the status refusing it (logged).
  auth::Admission admit(const grpc::CallbackServerContext& context, std::string_view rpc) const;
  /// Every problem of a graph with this daemon's limits, after validation's own.
  engine::Validation validate(const engine::ParsedGraph& parsed) const;
  /// Converts, validates and submits `request`; `done` gets the outcome as a status (OK:
  /// the run is durable and started or queued).
  /// `principal` submits it (counted against its limit until the run ends).
  void submit(const v1::SubmitRunRequest& request, const std::string& principal,
              std::function<void(grpc::Status, const Submission&)> done);
  /// ListRuns over the run history, runs still in memory shown as they are now.
  grpc::Status list_stored(const v1::ListRunsRequest& request, v1::ListRunsResponse& response);

  const Catalog& catalog_;
  RunManager& runs_;
  const std::filesystem::path data_dir_;
  const auth::CallAuthenticator anonymous_;
  const auth::CallAuthenticator& auth_;
  const limits::RequestLimits limits_;
  const ValidationContext validation_context_;
  /// Shared with the callbacks that count a run out when it ends, which may outlive this.
  const std::shared_ptr<limits::PrincipalRuns> principal_runs_;
  const PlanHook plan_hook_;
  RunHistory* const history_;
  StreamCount open_watches_;
};

}  // namespace agdf::service
