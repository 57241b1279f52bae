#include "agdf/service/run_requests.hpp"

#include <charconv>

#include "agdf/engine/validate.hpp"
#include "agdf/service/convert.hpp"

namespace agdf::service {
namespace {

constexpr std::uint32_t kDefaultPageSize = 50;
constexpr std::uint32_t kMaxPageSize = 1000;

}  // namespace

grpc::Status unknown_run(const std::string& id) {
  return {grpc::StatusCode::NOT_FOUND,
          valid_utf8("no run '" + id + "' (unknown, or finished long enough ago to be forgotten)")};
}

grpc::Status submit_run(const v1::SubmitRunRequest& request, v1::SubmitRunResponse& response,
                        const Registry& registry, RunManager& runs,
                        const std::filesystem::path& data_dir) {
  auto checked =
      engine::validate_run(to_run_request(request), registry, ValidationContext{data_dir});
  if (!checked.run) {
    runs.hooks().on_refused("invalid");
    return {grpc::StatusCode::INVALID_ARGUMENT,
            valid_utf8(engine::describe_problems(checked.problems))};
  }
  Submission submission = runs.submit(std::move(*checked.run),
                                      Labels(request.labels().begin(), request.labels().end()));
  switch (submission.error) {
    case SubmitError::none:
      break;
    case SubmitError::queue_full:
      return {grpc::StatusCode::RESOURCE_EXHAUSTED, submission.message};
    case SubmitError::shutting_down:
      return {grpc::StatusCode::UNAVAILABLE, submission.message};
  }
  response.set_run_id(submission.run->id());
  response.set_state(submission.queued ? v1::RUN_STATE_QUEUED : v1::RUN_STATE_RUNNING);
  return grpc::Status::OK;
}

grpc::Status get_run(const std::string& run_id, v1::RunInfo& response, const RunManager& runs) {
  auto run = runs.find(run_id);
  if (!run) return unknown_run(run_id);
  response = run->info();
  return grpc::Status::OK;
}

grpc::Status list_runs(const v1::ListRunsRequest& request, v1::ListRunsResponse& response,
                       const RunManager& runs) {
  std::uint64_t before = 0;
  if (const std::string& token = request.page_token(); !token.empty()) {
    auto [end, ec] = std::from_chars(token.data(), token.data() + token.size(), before);
    if (ec != std::errc() || end != token.data() + token.size() || before == 0)
      return {grpc::StatusCode::INVALID_ARGUMENT, "invalid page_token"};
  }
  std::uint32_t page_size = request.page_size() == 0 ? kDefaultPageSize : request.page_size();
  page_size = std::min(page_size, kMaxPageSize);
  RunPage page = runs.list(before, page_size, [&request](const RunRecord& run) {
    return run.matches(request.state(), request.labels());
  });
  for (const auto& run : page.runs) *response.add_runs() = run->info();
  if (page.next_before != 0) response.set_next_page_token(std::to_string(page.next_before));
  return grpc::Status::OK;
}

}  // namespace agdf::service
