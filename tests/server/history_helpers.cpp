#include "server/history_helpers.hpp"

namespace agdf::testing {

std::string run_to_end(v1::Agdf::Stub& stub, const v1::SubmitRunRequest& request) {
  auto context = call_context();
  v1::SubmitRunResponse response;
  grpc::Status status = stub.SubmitRun(context.get(), request, &response);
  EXPECT_TRUE(status.ok()) << status.error_message();
  Watched watched = watch(stub, response.run_id());
  EXPECT_TRUE(watched.status.ok()) << watched.status.error_message();
  EXPECT_TRUE(!watched.events.empty() && watched.events.back().has_finished());
  return response.run_id();
}

v1::RunInfo get_run(v1::Agdf::Stub& stub, const std::string& id) {
  auto context = call_context();
  v1::GetRunRequest request;
  request.set_run_id(id);
  v1::RunInfo info;
  grpc::Status status = stub.GetRun(context.get(), request, &info);
  EXPECT_TRUE(status.ok()) << id << ": " << status.error_message();
  return info;
}

std::vector<v1::RunInfo> list_all(v1::Agdf::Stub& stub, v1::ListRunsRequest request) {
  std::vector<v1::RunInfo> runs;
  for (;;) {
    auto context = call_context();
    v1::ListRunsResponse page;
    grpc::Status status = stub.ListRuns(context.get(), request, &page);
    EXPECT_TRUE(status.ok()) << status.error_message();
    if (!status.ok()) return runs;
    runs.insert(runs.end(), page.runs().begin(), page.runs().end());
    if (page.next_page_token().empty()) return runs;
    request.set_page_token(page.next_page_token());
  }
}

bool is_final_state(v1::RunState state) {
  return state == v1::RUN_STATE_COMPLETED || state == v1::RUN_STATE_HALTED ||
         state == v1::RUN_STATE_CANCELLED || state == v1::RUN_STATE_FAILED;
}

std::vector<std::uint64_t> seqs(const std::vector<v1::RunEvent>& events) {
  std::vector<std::uint64_t> out;
  for (const auto& event : events) out.push_back(event.seq());
  return out;
}

}  // namespace agdf::testing
