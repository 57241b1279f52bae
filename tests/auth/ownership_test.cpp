// Each run records who submitted it: GetRun and ListRuns show it, ListRuns filters by it,
// `agdf status` and `agdf runs` print it; a submitter may cancel only its own runs.

#include <fstream>

#include <nlohmann/json.hpp>

#include "auth/auth_fixture.hpp"
#include "support/child_process.hpp"

namespace agdf::auth_test {
namespace {

using testing::run_to_end;

class Ownership : public TokenDaemonTest {
 protected:
  grpc::Status cancel_as(const std::string& principal, const std::string& run_id,
                         v1::CancelRunResponse* response = nullptr) {
    v1::CancelRunRequest request;
    request.set_run_id(run_id);
    v1::CancelRunResponse ignored;
    auto context = call(token(principal));
    return stub().CancelRun(context.get(), request, response ? response : &ignored);
  }

  v1::RunInfo get(const std::string& run_id) {
    v1::GetRunRequest request;
    request.set_run_id(run_id);
    v1::RunInfo info;
    auto context = call(token("reader"));
    EXPECT_TRUE(stub().GetRun(context.get(), request, &info).ok());
    return info;
  }

  /// `agdf ARGS...` against the daemon with `principal`'s token in AGDF_TOKEN.
  testing::Finished agdf_as(const std::string& principal, const std::vector<std::string>& args) {
    std::vector<std::string> argv{AGDF_CLI, "--server", daemon().address()};
    argv.insert(argv.end(), args.begin(), args.end());
    return run_to_end(argv, std::chrono::seconds(60), {.env = {{"AGDF_TOKEN", token(principal)}}});
  }
};

TEST_F(Ownership, ASubmitterCannotCancelAnotherPrincipalsRun) {
  const std::string run = submit_as("submitter", endless_graph());

  const grpc::Status status = cancel_as("submitter2", run);

  EXPECT_EQ(status.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(status.error_message(),
            "principal 'submitter2' (role submitter) may cancel only its own runs; run " + run +
                " was submitted by 'submitter', which needs the right 'cancel_any'");
  EXPECT_EQ(get(run).state(), v1::RUN_STATE_RUNNING);
}

TEST_F(Ownership, ASubmitterCancelsItsOwnRunAndAnAdminAnybodys) {
  const std::string own = submit_as("submitter", endless_graph());
  const std::string other = submit_as("submitter2", endless_graph());

  v1::CancelRunResponse response;
  ASSERT_TRUE(cancel_as("submitter", own, &response).ok());
  EXPECT_EQ(response.state(), v1::RUN_STATE_CANCELLED);
  ASSERT_TRUE(cancel_as("admin", other, &response).ok());
  EXPECT_EQ(response.state(), v1::RUN_STATE_CANCELLED);
}

TEST_F(Ownership, RunsRecordTheirSubmitterAndListRunsFiltersByIt) {
  const std::string mine = submit_as("submitter", tiny_graph());
  const std::string theirs = submit_as("submitter2", tiny_graph());
  const std::string admins = submit_as("admin", tiny_graph());

  EXPECT_EQ(get(mine).submitted_by(), "submitter");
  EXPECT_EQ(get(theirs).submitted_by(), "submitter2");

  v1::ListRunsRequest request;
  request.set_submitted_by("submitter2");
  v1::ListRunsResponse response;
  auto context = call(token("reader"));
  ASSERT_TRUE(stub().ListRuns(context.get(), request, &response).ok());
  ASSERT_EQ(response.runs_size(), 1);
  EXPECT_EQ(response.runs(0).run_id(), theirs);
  EXPECT_EQ(response.runs(0).submitted_by(), "submitter2");
}

TEST_F(Ownership, TheCliShowsAndFiltersBySubmitter) {
  const std::string run = submit_as("submitter", tiny_graph());
  submit_as("admin", tiny_graph());

  const auto status = agdf_as("reader", {"status", run});
  EXPECT_EQ(status.exit_code, 0) << status.err;
  EXPECT_NE(status.out.find("by         submitter\n"), std::string::npos) << status.out;

  const auto runs = agdf_as("reader", {"--json", "runs", "--submitted-by", "submitter"});
  ASSERT_EQ(runs.exit_code, 0) << runs.err;
  ASSERT_EQ(runs.out_lines().size(), 1u) << runs.out;
  const auto line = nlohmann::json::parse(runs.out_lines()[0]);
  EXPECT_EQ(line["run_id"], run);
  EXPECT_EQ(line["submitted_by"], "submitter");

  const auto table = agdf_as("reader", {"runs", "--submitted-by", "submitter"});
  EXPECT_NE(table.out.find("submitted by"), std::string::npos) << table.out;
}

TEST_F(Ownership, TheCliWithoutATokenIsRefusedAndSaysWhy) {
  const auto result = run_to_end({AGDF_CLI, "--server", daemon().address(), "functions"},
                                 std::chrono::seconds(60), {.env = {{"AGDF_TOKEN", ""}}});
  EXPECT_EQ(result.exit_code, 7);
  EXPECT_NE(result.err.find("no token"), std::string::npos) << result.err;

  const std::string graph = dir_.path("tiny.json");
  std::ofstream(graph) << tiny_graph();
  const auto denied = agdf_as("reader", {"run", "--detach", graph});
  EXPECT_EQ(denied.exit_code, 7);
  EXPECT_NE(denied.err.find("lacks the right 'submit' that SubmitRun needs"), std::string::npos)
      << denied.err;
}

}  // namespace
}  // namespace agdf::auth_test
