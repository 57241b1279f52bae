#include "agdf/service/run_requests.hpp"

#include <algorithm>
#include <charconv>

#include "agdf/nodes/quote.hpp"
#include "agdf/service/convert.hpp"
#include "agdf/service/problem_status.hpp"

namespace agdf::service {
namespace {

constexpr std::uint32_t kDefaultPageSize = 50;
constexpr std::uint32_t kMaxPageSize = 1000;

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

}  // namespace

grpc::Status unknown_run(const std::string& id) {
  return {grpc::StatusCode::NOT_FOUND,
          valid_utf8("no run " + quote(id) +
                     " (unknown, or finished long enough ago to be forgotten)")};
}

RunRequests::RunRequests(const Registry& registry, RunManager& runs, std::filesystem::path data_dir,
                         RequestGuards guards, RunHistory* history)
    : RunRequests(&registry, nullptr, {}, runs, std::move(data_dir), std::move(guards), history) {}

RunRequests::RunRequests(const Catalog& catalog, PlanHook plan_hook, RunManager& runs,
                         std::filesystem::path data_dir, RequestGuards guards, RunHistory* history)
    : RunRequests(nullptr, &catalog, std::move(plan_hook), runs, std::move(data_dir),
                  std::move(guards), history) {}

RunRequests::RunRequests(const Registry* registry, const Catalog* catalog, PlanHook plan_hook,
                         RunManager& runs, std::filesystem::path data_dir, RequestGuards guards,
                         RunHistory* history)
    : registry_(registry),
      catalog_(catalog),
      plan_hook_(std::move(plan_hook)),
      runs_(runs),
      data_dir_(std::move(data_dir)),
      limits_(guards.limits),
      validation_context_{data_dir_, std::move(guards.egress)},
      principal_runs_(std::make_shared<limits::PrincipalRuns>(limits_.max_runs_per_principal)),
      history_(history) {}

std::shared_ptr<const Registry> RunRequests::functions() const {
  if (catalog_) return catalog_->snapshot();
  return std::shared_ptr<const Registry>(std::shared_ptr<const Registry>(), registry_);
}

engine::Validation RunRequests::validate(const v1::GraphDefinition& definition) const {
  if (auto problem = limits::graph_bytes_problem(definition.ByteSizeLong(), limits_)) {
    engine::Validation refused;  // an oversized graph is not even parsed
    refused.problems.push_back({"graph", *problem});
    return refused;
  }
  const engine::ParsedGraph parsed = to_parsed_graph(definition);
  engine::Validation validation = engine::validate(parsed, *functions(), validation_context_);
  auto add = [&](engine::Problems more) {
    for (auto& problem : more) validation.problems.push_back(std::move(problem));
  };
  if (parsed.spec) add(limits::check_graph(*parsed.spec, limits_));
  if (validation.plan) add(limits::check_plan(*validation.plan, limits_));
  if (!validation.problems.empty()) validation.plan.reset();
  return validation;
}

void RunRequests::submit(const v1::SubmitRunRequest& request, const std::string& principal,
                         Answer answer) {
  auto refuse = [&](grpc::Status status, const char* why) {
    runs_.hooks().on_refused(why);
    answer(std::move(status), {});
  };
  if (auto problem = limits::graph_bytes_problem(request.definition().ByteSizeLong(), limits_))
    return refuse({grpc::StatusCode::INVALID_ARGUMENT, "graph: " + *problem}, "invalid");
  engine::RunRequest run_request = to_run_request(request);
  engine::Problems over;
  if (run_request.graph.spec) over = limits::check_graph(*run_request.graph.spec, limits_);
  auto checked = engine::validate_run(std::move(run_request), *functions(), validation_context_);
  if (checked.run)
    for (auto& problem : limits::check_plan(*checked.run->plan, limits_))
      over.push_back(std::move(problem));
  if (!checked.run || !over.empty()) {
    for (auto& problem : over) checked.problems.push_back(std::move(problem));
    return refuse({grpc::StatusCode::INVALID_ARGUMENT, status_message(checked.problems)},
                  "invalid");
  }
  if (plan_hook_) checked.run->plan = plan_hook_(std::move(checked.run->plan));
  if (auto refused = principal_runs_->try_add(principal))
    return refuse({grpc::StatusCode::RESOURCE_EXHAUSTED, *refused}, "principal_limit");
  // The request as the client sent it is what the history keeps.
  runs_.submit(
      std::move(*checked.run), Labels(request.labels().begin(), request.labels().end()), principal,
      history_ ? request.SerializeAsString() : std::string(),
      [answer = std::move(answer), counts = principal_runs_, principal](Submission s) {
        if (s.error != SubmitError::none)
          counts->remove(principal);
        else
          s.run->when_final([counts, principal](v1::RunState) { counts->remove(principal); });
        answer(refusal(s), s);
      });
}

std::optional<v1::RunInfo> RunRequests::stored_run(const std::string& run_id) const {
  if (!history_) return std::nullopt;
  if (auto stored = history_->find(run_id)) return std::move(stored->info);
  return std::nullopt;
}

grpc::Status RunRequests::get_run(const std::string& run_id, v1::RunInfo& response) const {
  if (auto run = runs_.find(run_id)) {
    response = run->info();
    return grpc::Status::OK;
  }
  if (auto stored = stored_run(run_id)) {
    response = std::move(*stored);
    return grpc::Status::OK;
  }
  return unknown_run(run_id);
}

grpc::Status RunRequests::list_runs(const v1::ListRunsRequest& request,
                                    v1::ListRunsResponse& response) const {
  std::uint64_t before = 0;
  if (const std::string& token = request.page_token(); !token.empty()) {
    auto [end, ec] = std::from_chars(token.data(), token.data() + token.size(), before);
    if (ec != std::errc() || end != token.data() + token.size() || before == 0)
      return {grpc::StatusCode::INVALID_ARGUMENT, "invalid page_token"};
  }
  std::uint32_t page_size = request.page_size() == 0 ? kDefaultPageSize : request.page_size();
  page_size = std::min(page_size, kMaxPageSize);
  if (history_) {
    store::RunQuery query;
    query.state = request.state();
    for (const auto& [key, value] : request.labels()) query.labels.emplace_back(key, value);
    std::sort(query.labels.begin(), query.labels.end());
    query.submitter = request.submitted_by();
    query.before = before;
    query.limit = page_size;
    store::RunPage page = history_->list(query);
    for (auto& stored : page.runs) {
      // A run still in memory is shown as it is now (its stored summary may lag).
      if (auto run = runs_.find(stored.info.run_id())) {
        if (!run->matches(request)) continue;
        stored.info = run->info();
      }
      *response.add_runs() = std::move(stored.info);
    }
    if (page.next_before != 0) response.set_next_page_token(std::to_string(page.next_before));
    return grpc::Status::OK;
  }
  RunPage page = runs_.list(before, page_size,
                            [&request](const RunRecord& run) { return run.matches(request); });
  for (const auto& run : page.runs) *response.add_runs() = run->info();
  if (page.next_before != 0) response.set_next_page_token(std::to_string(page.next_before));
  return grpc::Status::OK;
}

}  // namespace agdf::service
