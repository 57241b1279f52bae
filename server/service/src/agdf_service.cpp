#include "agdf/service/agdf_service.hpp"

#include "agdf/engine/validate.hpp"
#include "agdf/service/convert.hpp"
#include "agdf/service/log.hpp"
#include "agdf/service/run_requests.hpp"
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

v1::ListFunctionsResponse list_functions(const Registry& registry) {
  v1::ListFunctionsResponse response;
  for (const FunctionDef* def : registry.list()) *response.add_functions() = to_proto(*def);
  return response;
}

}  // namespace

AgdfService::AgdfService(const Registry& registry, RunManager& runs, std::filesystem::path data_dir)
    : registry_(registry),
      runs_(runs),
      data_dir_(std::move(data_dir)),
      functions_(list_functions(registry)) {}

grpc::ServerUnaryReactor* AgdfService::ListFunctions(grpc::CallbackServerContext* context,
                                                     const v1::ListFunctionsRequest*,
                                                     v1::ListFunctionsResponse* response) {
  return answer(context, [&] {
    *response = functions_;
    return grpc::Status::OK;
  });
}

grpc::ServerUnaryReactor* AgdfService::ValidateGraph(grpc::CallbackServerContext* context,
                                                     const v1::ValidateGraphRequest* request,
                                                     v1::ValidateGraphResponse* response) {
  return answer(context, [&] {
    auto validation = engine::validate(to_parsed_graph(request->definition()), registry_,
                                       ValidationContext{data_dir_});
    response->set_valid(validation.problems.empty());
    for (const auto& problem : validation.problems) *response->add_problems() = to_proto(problem);
    return grpc::Status::OK;
  });
}

grpc::ServerUnaryReactor* AgdfService::SubmitRun(grpc::CallbackServerContext* context,
                                                 const v1::SubmitRunRequest* request,
                                                 v1::SubmitRunResponse* response) {
  return answer(context,
                [&] { return submit_run(*request, *response, registry_, runs_, data_dir_); });
}

grpc::ServerWriteReactor<v1::RunEvent>* AgdfService::WatchRun(grpc::CallbackServerContext*,
                                                              const v1::WatchRunRequest* request) {
  auto run = runs_.find(request->run_id());
  if (!run) return WatchReactor::refuse(unknown_run(request->run_id()));
  return WatchReactor::start(std::move(run), request->from_seq(), open_watches_, runs_.hooks());
}

grpc::ServerUnaryReactor* AgdfService::GetRun(grpc::CallbackServerContext* context,
                                              const v1::GetRunRequest* request,
                                              v1::RunInfo* response) {
  return answer(context, [&] { return get_run(request->run_id(), *response, runs_); });
}

grpc::ServerUnaryReactor* AgdfService::ListRuns(grpc::CallbackServerContext* context,
                                                const v1::ListRunsRequest* request,
                                                v1::ListRunsResponse* response) {
  return answer(context, [&] { return list_runs(*request, *response, runs_); });
}

grpc::ServerUnaryReactor* AgdfService::CancelRun(grpc::CallbackServerContext* context,
                                                 const v1::CancelRunRequest* request,
                                                 v1::CancelRunResponse* response) {
  auto run = runs_.find(request->run_id());
  if (!run || !runs_.cancel(request->run_id()))
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
