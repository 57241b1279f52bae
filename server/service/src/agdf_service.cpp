#include "agdf/service/agdf_service.hpp"

#include <algorithm>
#include <charconv>

#include "agdf/engine/validate.hpp"
#include "agdf/service/convert.hpp"
#include "agdf/service/log.hpp"
#include "prepared_run.hpp"
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

grpc::Status unknown_run(const std::string& id) {
  return {grpc::StatusCode::NOT_FOUND,
          valid_utf8("no run '" + id + "' (unknown, or finished long enough ago to be forgotten)")};
}

/// The status a refused submission answers with.
grpc::Status refusal(const Submission& submission) {
  switch (submission.error) {
    case SubmitError::none:
      return grpc::Status::OK;
    case SubmitError::queue_full:
      return {grpc::StatusCode::RESOURCE_EXHAUSTED, submission.message};
    case SubmitError::shutting_down:
    case SubmitError::not_stored:
      return {grpc::StatusCode::UNAVAILABLE, valid_utf8(submission.message)};
  }
  return {grpc::StatusCode::INTERNAL, "unknown submission outcome"};
}

v1::ListFunctionsResponse list_functions(const Registry& registry) {
  v1::ListFunctionsResponse response;
  for (const FunctionDef* def : registry.list()) *response.add_functions() = to_proto(*def);
  return response;
}

}  // namespace

AgdfService::AgdfService(const Catalog& catalog, RunManager& runs, std::filesystem::path data_dir,
                         ServiceGuards guards, PlanHook plan_hook, RunHistory* history)
    : catalog_(catalog),
      runs_(runs),
      data_dir_(std::move(data_dir)),
      auth_(guards.auth ? *guards.auth : anonymous_),
      limits_(guards.limits),
      validation_context_{data_dir_, std::move(guards.egress)},
      principal_runs_(std::make_shared<limits::PrincipalRuns>(limits_.max_runs_per_principal)),
      plan_hook_(std::move(plan_hook)),
      history_(history) {}

void AgdfService::submit(const v1::SubmitRunRequest& request, const std::string& principal,
                         std::function<void(grpc::Status, const Submission&)> done) {
  if (auto problem = limits::graph_bytes_problem(request.definition().ByteSizeLong(), limits_))
    return done({grpc::StatusCode::INVALID_ARGUMENT, "graph: " + *problem}, {});
  engine::RunRequest run_request = to_run_request(request);
  engine::Problems over;
  if (run_request.graph.spec) over = limits::check_graph(*run_request.graph.spec, limits_);
  auto checked =
      engine::validate_run(std::move(run_request), *catalog_.snapshot(), validation_context_);
  if (checked.run)
    for (auto& problem : limits::check_plan(*checked.run->plan, limits_))
      over.push_back(std::move(problem));
  if (!checked.run || !over.empty()) {
    for (auto& problem : over) checked.problems.push_back(std::move(problem));
    return done({grpc::StatusCode::INVALID_ARGUMENT,
                 valid_utf8(engine::describe_problems(checked.problems))},
                {});
  }
  if (plan_hook_) checked.run->plan = plan_hook_(std::move(checked.run->plan));
  if (auto refused = principal_runs_->try_add(principal))
    return done({grpc::StatusCode::RESOURCE_EXHAUSTED, *refused}, {});
  // The request as the client sent it is what the history keeps.
  runs_.submit(
      std::move(*checked.run), Labels(request.labels().begin(), request.labels().end()), principal,
      history_ ? request.SerializeAsString() : std::string(),
      [done = std::move(done), counts = principal_runs_, principal](Submission s) {
        if (s.error != SubmitError::none)
          counts->remove(principal);
        else
          s.run->when_final([counts, principal](v1::RunState) { counts->remove(principal); });
        done(refusal(s), s);
      });
}

auth::Admission AgdfService::admit(const grpc::CallbackServerContext& context,
                                   std::string_view rpc) const {
  auth::Admission admission = auth_.admit(context, rpc);
  if (!admission) log_refusal(context, rpc, admission.status);
  return admission;
}

engine::Validation AgdfService::validate(const engine::ParsedGraph& parsed) const {
  engine::Validation validation =
      engine::validate(parsed, *catalog_.snapshot(), validation_context_);
  auto add = [&](engine::Problems more) {
    for (auto& problem : more) validation.problems.push_back(std::move(problem));
  };
  if (parsed.spec) add(limits::check_graph(*parsed.spec, limits_));
  if (validation.plan) add(limits::check_plan(*validation.plan, limits_));
  if (!validation.problems.empty()) validation.plan.reset();
  return validation;
}

grpc::ServerUnaryReactor* AgdfService::ListFunctions(grpc::CallbackServerContext* context,
                                                     const v1::ListFunctionsRequest*,
                                                     v1::ListFunctionsResponse* response) {
  return answer(context, [&] {
    if (auto caller = admit(*context, "ListFunctions"); !caller) return caller.status;
    *response = list_functions(*catalog_.snapshot());
    return grpc::Status::OK;
  });
}

grpc::ServerUnaryReactor* AgdfService::ValidateGraph(grpc::CallbackServerContext* context,
                                                     const v1::ValidateGraphRequest* request,
                                                     v1::ValidateGraphResponse* response) {
  return answer(context, [&] {
    if (auto caller = admit(*context, "ValidateGraph"); !caller) return caller.status;
    // An oversized graph is not even parsed.
    if (auto problem = limits::graph_bytes_problem(request->definition().ByteSizeLong(), limits_)) {
      response->set_valid(false);
      *response->add_problems() = to_proto(engine::Problem{"graph", *problem});
      return grpc::Status::OK;
    }
    auto validation = validate(to_parsed_graph(request->definition()));
    response->set_valid(validation.problems.empty());
    for (const auto& problem : validation.problems) *response->add_problems() = to_proto(problem);
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
    submit(
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
  auto reactor = WatchReactor::awaiting(open_watches_, history_);
  try {
    submit(*request, caller.principal->name,
           [reactor](grpc::Status status, const Submission& submission) {
             if (!status.ok()) return reactor->end(std::move(status));
             v1::RunEvent accepted;
             accepted.set_run_id(submission.run->id());
             accepted.set_time_unix_ms(unix_ms_now());
             accepted.mutable_accepted()->set_state(submission.queued ? v1::RUN_STATE_QUEUED
                                                                      : v1::RUN_STATE_RUNNING);
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
  try {
    if (!run && history_)
      if (auto stored = history_->find(request->run_id()))
        run = std::make_shared<StoredRunView>(request->run_id(), stored->number,
                                              stored->info.last_seq());
  } catch (const std::exception& e) {
    log(LogLevel::error, "request failed", {{"error", e.what()}});
    return WatchReactor::refuse({grpc::StatusCode::INTERNAL, valid_utf8(e.what())});
  }
  if (!run) return WatchReactor::refuse(unknown_run(request->run_id()));
  return WatchReactor::start(std::move(run), request->from_seq(), open_watches_, history_);
}

grpc::ServerUnaryReactor* AgdfService::GetRun(grpc::CallbackServerContext* context,
                                              const v1::GetRunRequest* request,
                                              v1::RunInfo* response) {
  return answer(context, [&] {
    if (auto caller = admit(*context, "GetRun"); !caller) return caller.status;
    if (auto run = runs_.find(request->run_id())) {
      *response = run->info();
      return grpc::Status::OK;
    }
    if (history_)
      if (auto stored = history_->find(request->run_id())) {
        *response = std::move(stored->info);
        return grpc::Status::OK;
      }
    return unknown_run(request->run_id());
  });
}

grpc::ServerUnaryReactor* AgdfService::ListRuns(grpc::CallbackServerContext* context,
                                                const v1::ListRunsRequest* request,
                                                v1::ListRunsResponse* response) {
  return answer(context, [&]() -> grpc::Status {
    if (auto caller = admit(*context, "ListRuns"); !caller) return caller.status;
    std::uint64_t before = 0;
    if (const std::string& token = request->page_token(); !token.empty()) {
      auto [end, ec] = std::from_chars(token.data(), token.data() + token.size(), before);
      if (ec != std::errc() || end != token.data() + token.size() || before == 0)
        return {grpc::StatusCode::INVALID_ARGUMENT, "invalid page_token"};
    }
    std::uint32_t page_size = request->page_size() == 0 ? kDefaultPageSize : request->page_size();
    page_size = std::min(page_size, kMaxPageSize);
    if (history_) {
      store::RunQuery query;
      query.state = request->state();
      for (const auto& [key, value] : request->labels()) query.labels.emplace_back(key, value);
      std::sort(query.labels.begin(), query.labels.end());
      query.submitter = request->submitted_by();
      query.before = before;
      query.limit = page_size;
      store::RunPage page = history_->list(query);
      for (auto& stored : page.runs) {
        // A run still in memory is shown as it is now (its stored summary may lag).
        if (auto run = runs_.find(stored.info.run_id())) {
          if (!run->matches(*request)) continue;
          stored.info = run->info();
        }
        *response->add_runs() = std::move(stored.info);
      }
      if (page.next_before != 0) response->set_next_page_token(std::to_string(page.next_before));
      return grpc::Status::OK;
    }
    RunPage page = runs_.list(before, page_size,
                              [request](const RunRecord& run) { return run.matches(*request); });
    for (const auto& run : page.runs) *response->add_runs() = run->info();
    if (page.next_before != 0) response->set_next_page_token(std::to_string(page.next_before));
    return grpc::Status::OK;
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
      if (history_)
        if (auto stored = history_->find(request->run_id())) {
          if (auto allowed = auth::may_cancel(*caller.principal, stored->info.submitted_by(),
                                              request->run_id());
              !allowed.ok())
            return allowed;
          response->set_state(stored->info.state());
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
