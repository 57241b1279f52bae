#include "agdf/service/agdf_service.hpp"

#include <charconv>

#include "agdf/engine/validate.hpp"
#include "agdf/service/convert.hpp"
#include "agdf/service/log.hpp"
#include "watch_reactor.hpp"

namespace agdf::service {
namespace {

constexpr std::uint32_t kDefaultPageSize = 50;
constexpr std::uint32_t kMaxPageSize = 1000;

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

grpc::Status unknown_run(const std::string& id) {
  return {grpc::StatusCode::NOT_FOUND,
          valid_utf8("no run '" + id + "' (unknown, or finished long enough ago to be forgotten)")};
}

v1::ListFunctionsResponse list_functions(const Registry& registry) {
  v1::ListFunctionsResponse response;
  for (const FunctionDef* def : registry.list()) *response.add_functions() = to_proto(*def);
  return response;
}

}  // namespace

AgdfService::AgdfService(const Catalog& catalog, RunManager& runs, std::filesystem::path data_dir,
                         PlanHook plan_hook)
    : catalog_(catalog),
      runs_(runs),
      data_dir_(std::move(data_dir)),
      plan_hook_(std::move(plan_hook)) {}

grpc::ServerUnaryReactor* AgdfService::ListFunctions(grpc::CallbackServerContext* context,
                                                     const v1::ListFunctionsRequest*,
                                                     v1::ListFunctionsResponse* response) {
  return answer(context, [&] {
    *response = list_functions(*catalog_.snapshot());
    return grpc::Status::OK;
  });
}

grpc::ServerUnaryReactor* AgdfService::ValidateGraph(grpc::CallbackServerContext* context,
                                                     const v1::ValidateGraphRequest* request,
                                                     v1::ValidateGraphResponse* response) {
  return answer(context, [&] {
    auto validation = engine::validate(to_parsed_graph(request->definition()), *catalog_.snapshot(),
                                       ValidationContext{data_dir_});
    response->set_valid(validation.problems.empty());
    for (const auto& problem : validation.problems) *response->add_problems() = to_proto(problem);
    return grpc::Status::OK;
  });
}

grpc::ServerUnaryReactor* AgdfService::SubmitRun(grpc::CallbackServerContext* context,
                                                 const v1::SubmitRunRequest* request,
                                                 v1::SubmitRunResponse* response) {
  return answer(context, [&]() -> grpc::Status {
    auto checked = engine::validate_run(to_run_request(*request), *catalog_.snapshot(),
                                        ValidationContext{data_dir_});
    if (!checked.run)
      return {grpc::StatusCode::INVALID_ARGUMENT,
              valid_utf8(engine::describe_problems(checked.problems))};
    if (plan_hook_) checked.run->plan = plan_hook_(std::move(checked.run->plan));

    Submission submission = runs_.submit(
        std::move(*checked.run), Labels(request->labels().begin(), request->labels().end()));
    switch (submission.error) {
      case SubmitError::none:
        break;
      case SubmitError::queue_full:
        return {grpc::StatusCode::RESOURCE_EXHAUSTED, submission.message};
      case SubmitError::shutting_down:
        return {grpc::StatusCode::UNAVAILABLE, submission.message};
    }
    response->set_run_id(submission.run->id());
    response->set_state(submission.queued ? v1::RUN_STATE_QUEUED : v1::RUN_STATE_RUNNING);
    return grpc::Status::OK;
  });
}

grpc::ServerWriteReactor<v1::RunEvent>* AgdfService::WatchRun(grpc::CallbackServerContext*,
                                                              const v1::WatchRunRequest* request) {
  auto run = runs_.find(request->run_id());
  if (!run) return WatchReactor::refuse(unknown_run(request->run_id()));
  return WatchReactor::start(std::move(run), request->from_seq(), open_watches_);
}

grpc::ServerUnaryReactor* AgdfService::GetRun(grpc::CallbackServerContext* context,
                                              const v1::GetRunRequest* request,
                                              v1::RunInfo* response) {
  return answer(context, [&] {
    auto run = runs_.find(request->run_id());
    if (!run) return unknown_run(request->run_id());
    *response = run->info();
    return grpc::Status::OK;
  });
}

grpc::ServerUnaryReactor* AgdfService::ListRuns(grpc::CallbackServerContext* context,
                                                const v1::ListRunsRequest* request,
                                                v1::ListRunsResponse* response) {
  return answer(context, [&]() -> grpc::Status {
    std::uint64_t before = 0;
    if (const std::string& token = request->page_token(); !token.empty()) {
      auto [end, ec] = std::from_chars(token.data(), token.data() + token.size(), before);
      if (ec != std::errc() || end != token.data() + token.size() || before == 0)
        return {grpc::StatusCode::INVALID_ARGUMENT, "invalid page_token"};
    }
    std::uint32_t page_size = request->page_size() == 0 ? kDefaultPageSize : request->page_size();
    page_size = std::min(page_size, kMaxPageSize);
    RunPage page = runs_.list(before, page_size, [request](const RunRecord& run) {
      return run.matches(request->state(), request->labels());
    });
    for (const auto& run : page.runs) *response->add_runs() = run->info();
    if (page.next_before != 0) response->set_next_page_token(std::to_string(page.next_before));
    return grpc::Status::OK;
  });
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
