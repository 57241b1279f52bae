// Tokens never appear in the daemon's logs, in the errors it answers with, or in a run's
// events: a daemon logging at debug level serves a run with node failures, refused calls
// with right, wrong and malformed tokens, a cancel and a reload, and then shuts down;
// no token is anywhere in what it wrote or sent.

#include <csignal>

#include "auth/auth_fixture.hpp"

namespace agdf::auth_test {
namespace {

class LogSecrecy : public TokenDaemonTest {
 protected:
  /// Fails the test when `text` holds any token of the file or the ones sent by mistake.
  void expect_no_token(const std::string& text, const std::string& what) {
    for (const auto& [principal, secret] : tokens_)
      EXPECT_EQ(text.find(secret), std::string::npos) << principal << "'s token in " << what;
    EXPECT_EQ(text.find(kWrong), std::string::npos) << "the wrong token in " << what;
    // The secret half alone must not appear either.
    for (const auto& [principal, secret] : tokens_)
      EXPECT_EQ(text.find(secret.substr(secret.rfind('_') + 1)), std::string::npos)
          << principal << "'s secret in " << what;
  }

  static constexpr const char* kWrong =
      "agdf_0123456789ab_ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff";
};

TEST_F(LogSecrecy, NoTokenInLogsErrorsOrEventsAfterARunWithFailures) {
  start({"--log-level", "debug", "--grace-period", "0"});
  std::string answered;  // every error message the daemon answered with

  // A run whose node fails on some items, watched to its end.
  const std::string run = submit_as(
      "submitter",
      R"({"nodes": [{"name": "src", "function": "values", "config": {"values": ["a", "b", "c"]}},
                    {"name": "check", "function": "fail_if", "config": {"values": ["a", "c"]}}],
          "edges": [["src", "check"]]})");
  std::string events;
  {
    auto context = call(token("submitter"));
    v1::WatchRunRequest request;
    request.set_run_id(run);
    auto reader = stub().WatchRun(context.get(), request);
    v1::RunEvent event;
    bool failed = false;
    while (reader->Read(&event)) {
      events += event.DebugString();
      failed = failed || event.has_node_error();
    }
    ASSERT_TRUE(reader->Finish().ok());
    EXPECT_TRUE(failed) << "the run should have had node errors";
  }

  // Refused calls: wrong token, malformed header, a role without the right, someone
  // else's run; and an invalid graph.
  for (const std::string& header :
       {std::string("Bearer ") + kWrong, std::string(kWrong), "Basic " + token("admin")}) {
    auto context = call();
    context->AddMetadata("authorization", header);
    v1::ListRunsResponse response;
    answered += stub().ListRuns(context.get(), {}, &response).error_message() + "\n";
  }
  {
    auto context = call(token("reader"));
    v1::SubmitRunRequest request;
    request.mutable_definition()->set_graph_json(tiny_graph());
    v1::SubmitRunResponse response;
    answered += stub().SubmitRun(context.get(), request, &response).error_message() + "\n";
  }
  {
    auto context = call(token("submitter2"));
    v1::CancelRunRequest request;
    request.set_run_id(submit_as("submitter", endless_graph()));
    v1::CancelRunResponse response;
    answered += stub().CancelRun(context.get(), request, &response).error_message() + "\n";
  }
  {
    auto context = call(token("admin"));
    v1::SubmitRunRequest request;
    request.mutable_definition()->set_graph_json(R"({"nodes": [{"name": "x", "function": "no"}]})");
    v1::SubmitRunResponse response;
    answered += stub().SubmitRun(context.get(), request, &response).error_message() + "\n";
  }
  daemon().send_signal(SIGHUP);
  daemon().send_signal(SIGTERM);
  ASSERT_EQ(daemon().wait_exit(std::chrono::seconds(60)), 0);

  const std::string logs = this->logs();
  EXPECT_NE(logs.find("msg=\"call refused\""), std::string::npos) << logs;
  EXPECT_NE(logs.find("msg=\"run finished\""), std::string::npos) << logs;
  expect_no_token(logs, "the daemon's logs");
  expect_no_token(answered, "the answered errors");
  expect_no_token(events, "the run's events");
}

}  // namespace
}  // namespace agdf::auth_test
