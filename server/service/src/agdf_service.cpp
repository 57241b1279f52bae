#include "agdf/service/agdf_service.hpp"

#include "agdf/service/convert.hpp"
#include "agdf/service/log.hpp"
#include "agdf/service/problem_status.hpp"
#include "watch_reactor.hpp"

namespace agdf::service {
namespace {

/// Runs `handler` and ends the call with its status. An exception (a bug, never an
/// expected outcome) becomes INTERNAL instead of taking the daemon down.
template <typename Handler>
grpc::ServerUnaryReactor* answer(grpc::CallbackServerContext* context, Handler&& handler) {
  grpc::Status status;
  try {
    status = handler();
  } catch (const std::exception& e) {
    log(LogLevel::error, "request failed", {{"error", e.what()}});
    status = {grpc::StatusCode::INTERNAL, valid_utf8(e.what())};
  }
  auto* reactor = context->DefaultReactor();
  reactor->Finish(std::move(status));
  return reactor;
}

/// A refused call, for the operator; the status never holds a token.
void log_refusal(const grpc::CallbackServerContext& context, std::string_view rpc,
                 const grpc::Status& status) {
  log(LogLevel::warn, "call refused",
      {{"rpc", rpc},
       {"peer", valid_utf8(context.peer())},
       {"code", status.error_code() == grpc::StatusCode::UNAUTHENTICATED ? "UNAUTHENTICATED"
                                                                         : "PERMISSION_DENIED"},
       {"reason", status.error_message()}});
}

v1::ListFunctionsResponse list_functions(const Registry& registry) {
  v1::ListFunctionsResponse response;
  for (const FunctionDef* def : registry.list()) *response.add_functions() = to_proto(*def);
  return response;
}

}  // namespace

AgdfService::AgdfService(RunRequests& requests, const auth::CallAuthenticator* auth)
    : requests_(requests), runs_(requests.runs()), auth_(auth ? *auth : anonymous_) {}

auth::Admission AgdfService::admit(const grpc::CallbackServerContext& context,
                                   std::string_view rpc) const {
  auth::Admission admission = auth_.admit(context, rpc);
  if (!admission) log_refusal(context, rpc, admission.status);
  return admission;
}

grpc::ServerUnaryReactor* AgdfService::ListFunctions(grpc::CallbackServerContext* context,
                                                     const v1::ListFunctionsRequest*,
                                                     v1::ListFunctionsResponse* response) {
  return answer(context, [&] {
    if (auto caller = admit(*context, "ListFunctions"); !caller) return caller.status;
    *response = list_functions(*requests_.functions());
    return grpc::Status::OK;
  });
}

grpc::ServerUnaryReactor* AgdfService::ValidateGraph(grpc::CallbackServerContext* context,
                                                     const v1::ValidateGraphRequest* request,
                                                     v1::ValidateGraphResponse* response) {
  return answer(context, [&] {
    if (auto caller = admit(*context, "ValidateGraph"); !caller) return caller.status;
    auto validation = requests_.validate(request->definition());
    response->set_valid(validation.problems.empty());
    add_problems(validation.problems, *response->mutable_problems());
    return grpc::Status::OK;
  });
}

grpc::ServerUnaryReactor* AgdfService::SubmitRun(grpc::CallbackServerContext* context,
                                                 const v1::SubmitRunRequest* request,
                                                 v1::SubmitRunResponse* response) {
  auto caller = admit(*context, "SubmitRun");
  if (!caller) return answer(context, [&] { return caller.status; });
  auto* reactor = context->DefaultReactor();
  try {
    // Answered once the run is durable: from the history's writer, or at once.
    requests_.submit(
        *request, caller.principal->name,
        [reactor, response](grpc::Status status, const Submission& submission) {
          if (status.ok()) {
            response->set_run_id(submission.run->id());
            response->set_state(submission.queued ? v1::RUN_STATE_QUEUED : v1::RUN_STATE_RUNNING);
          }
          reactor->Finish(std::move(status));
        });
  } catch (const std::exception& e) {
    log(LogLevel::error, "request failed", {{"error", e.what()}});
    reactor->Finish({grpc::StatusCode::INTERNAL, valid_utf8(e.what())});
  }
  return reactor;
}

grpc::ServerWriteReactor<v1::RunEvent>* AgdfService::SubmitAndWatch(
    grpc::CallbackServerContext* context, const v1::SubmitRunRequest* request) {
  auto caller = admit(*context, "SubmitAndWatch");
  if (!caller) return WatchReactor::refuse(std::move(caller.status));
  auto reactor = WatchReactor::awaiting(open_watches_, requests_.history(), &runs_.hooks());
  try {
    requests_.submit(*request, caller.principal->name,
                     [reactor](grpc::Status status, const Submission& submission) {
                       if (!status.ok()) return reactor->end(std::move(status));
                       v1::RunEvent accepted;
                       accepted.set_run_id(submission.run->id());
                       accepted.set_time_unix_ms(unix_ms_now());
                       accepted.mutable_accepted()->set_state(
                           submission.queued ? v1::RUN_STATE_QUEUED : v1::RUN_STATE_RUNNING);
                       reactor->begin(submission.run, std::move(accepted));
                     });
  } catch (const std::exception& e) {
    log(LogLevel::error, "request failed", {{"error", e.what()}});
    reactor->end({grpc::StatusCode::INTERNAL, valid_utf8(e.what())});
  }
  return reactor.get();
}

grpc::ServerWriteReactor<v1::RunEvent>* AgdfService::WatchRun(grpc::CallbackServerContext* context,
                                                              const v1::WatchRunRequest* request) {
  if (auto caller = admit(*context, "WatchRun"); !caller)
    return WatchReactor::refuse(std::move(caller.status));
  std::shared_ptr<WatchedRun> run = runs_.find(request->run_id());
  RunHistory* history = requests_.history();
  try {
    if (!run && history)
      if (auto stored = history->find(request->run_id()))
        run = std::make_shared<StoredRunView>(request->run_id(), stored->number,
                                              stored->info.last_seq());
  } catch (const std::exception& e) {
    log(LogLevel::error, "request failed", {{"error", e.what()}});
    return WatchReactor::refuse({grpc::StatusCode::INTERNAL, valid_utf8(e.what())});
  }
  if (!run) return WatchReactor::refuse(unknown_run(request->run_id()));
  return WatchReactor::start(std::move(run), request->from_seq(), open_watches_, history,
                             runs_.hooks());
}

grpc::ServerUnaryReactor* AgdfService::GetRun(grpc::CallbackServerContext* context,
                                              const v1::GetRunRequest* request,
                                              v1::RunInfo* response) {
  return answer(context, [&] {
    if (auto caller = admit(*context, "GetRun"); !caller) return caller.status;
    return requests_.get_run(request->run_id(), *response);
  });
}

grpc::ServerUnaryReactor* AgdfService::ListRuns(grpc::CallbackServerContext* context,
                                                const v1::ListRunsRequest* request,
                                                v1::ListRunsResponse* response) {
  return answer(context, [&] {
    if (auto caller = admit(*context, "ListRuns"); !caller) return caller.status;
    return requests_.list_runs(*request, *response);
  });
}

grpc::ServerUnaryReactor* AgdfService::CancelRun(grpc::CallbackServerContext* context,
                                                 const v1::CancelRunRequest* request,
                                                 v1::CancelRunResponse* response) {
  auto caller = admit(*context, "CancelRun");
  if (!caller) return answer(context, [&] { return caller.status; });
  auto run = runs_.find(request->run_id());
  if (!run)
    return answer(context, [&] {
      // A run only the history holds has finished long ago: it keeps its state.
      if (auto stored = requests_.stored_run(request->run_id())) {
        if (auto allowed =
                auth::may_cancel(*caller.principal, stored->submitted_by(), request->run_id());
            !allowed.ok())
          return allowed;
        response->set_state(stored->state());
        return grpc::Status::OK;
      }
      return unknown_run(request->run_id());
    });
  if (auto allowed = auth::may_cancel(*caller.principal, run->submitted_by(), run->id());
      !allowed.ok()) {
    log_refusal(*context, "CancelRun", allowed);
    return answer(context, [&] { return allowed; });
  }
  if (!runs_.cancel(request->run_id()))
    return answer(context, [&] { return unknown_run(request->run_id()); });
  // Answer once the run has stopped, with its final state (it may have completed first).
  auto* reactor = context->DefaultReactor();
  run->when_final([reactor, response](v1::RunState state) {
    response->set_state(state);
    reactor->Finish(grpc::Status::OK);
  });
  return reactor;
}

}  // namespace agdf::service
