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

AgdfService::AgdfService(const Registry& registry, RunManager& runs, std::filesystem::path data_dir,
                         RunHistory* history)
    : registry_(registry),
      runs_(runs),
      data_dir_(std::move(data_dir)),
      functions_(list_functions(registry)),
      history_(history) {}

void AgdfService::submit(const v1::SubmitRunRequest& request,
                         std::function<void(grpc::Status, const Submission&)> done) {
  std::string problems;
  std::optional<PreparedRun> run = prepare_run(request, registry_, data_dir_, problems);
  if (!run) return done({grpc::StatusCode::INVALID_ARGUMENT, problems}, {});
  // The request as the client sent it is what the history keeps.
  runs_.submit(std::move(run->run), std::move(run->labels),
               history_ ? request.SerializeAsString() : std::string(),
               [done = std::move(done)](Submission s) { done(refusal(s), s); });
}

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
  auto* reactor = context->DefaultReactor();
  try {
    // Answered once the run is durable: from the history's writer, or at once.
    submit(*request, [reactor, response](grpc::Status status, const Submission& submission) {
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
    grpc::CallbackServerContext*, const v1::SubmitRunRequest* request) {
  auto reactor = WatchReactor::awaiting(open_watches_, history_);
  try {
    submit(*request, [reactor](grpc::Status status, const Submission& submission) {
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

grpc::ServerWriteReactor<v1::RunEvent>* AgdfService::WatchRun(grpc::CallbackServerContext*,
                                                              const v1::WatchRunRequest* request) {
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
      query.before = before;
      query.limit = page_size;
      store::RunPage page = history_->list(query);
      for (auto& stored : page.runs) {
        // A run still in memory is shown as it is now (its stored summary may lag).
        if (auto run = runs_.find(stored.info.run_id())) {
          if (!run->matches(request->state(), request->labels())) continue;
          stored.info = run->info();
        }
        *response->add_runs() = std::move(stored.info);
      }
      if (page.next_before != 0) response->set_next_page_token(std::to_string(page.next_before));
      return grpc::Status::OK;
    }
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
    return answer(context, [&] {
      // A run only the history holds has finished long ago: it keeps its state.
      if (history_)
        if (auto stored = history_->find(request->run_id())) {
          response->set_state(stored->info.state());
          return grpc::Status::OK;
        }
      return unknown_run(request->run_id());
    });
  // Answer once the run has stopped, with its final state (it may have completed first).
  auto* reactor = context->DefaultReactor();
  run->when_final([reactor, response](v1::RunState state) {
    response->set_state(state);
    reactor->Finish(grpc::Status::OK);
  });
  return reactor;
}

}  // namespace agdf::service
