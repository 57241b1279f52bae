#pragma once
/// The agdf.v1.Agdf gRPC service on the callback API: no thread per call. Handlers
/// convert between proto and engine types and hand runs to the RunManager; runs no longer
/// in memory are answered from the run history, when the daemon has one.

#include <string_view>

#include "agdf/auth/call_auth.hpp"
#include "agdf/service/run_manager.hpp"
#include "agdf/service/run_requests.hpp"
#include "agdf/service/stream_count.hpp"
#include "agdf/v1/agdf.grpc.pb.h"

namespace agdf::service {

class AgdfService final : public v1::Agdf::CallbackService {
 public:
  /// Every call is checked by `auth` (null: every caller is the anonymous admin, a daemon
  /// without tokens), then answered through `requests`. ListFunctions reads the functions
  /// afresh on each call: worker functions come and go while the daemon runs.
  explicit AgdfService(RunRequests& requests, const auth::CallAuthenticator* auth = nullptr);

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

  RunRequests& requests_;
  RunManager& runs_;
  const auth::CallAuthenticator anonymous_;
  const auth::CallAuthenticator& auth_;
  StreamCount open_watches_;
};

}  // namespace agdf::service
