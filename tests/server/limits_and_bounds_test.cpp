// The operator's limits (issue 13, `--max-*` flags) and the graph format's fixed bounds
// (issue 9) together, at the defaults, through the real daemon: a value within the bound but
// over the limit names the limit's flag; a value past the bound gets the bound's message
// alone (never a second one about the same value); a limit set past the bound, which could
// never be reached, is refused when the daemon starts.
#include "server/hostile_client.hpp"
#include "server/startup_failure.hpp"

namespace agdf::testing {
namespace {

class DaemonLimitsAndBounds : public DaemonTest {
 protected:
  /// The message both submitting RPCs refuse `graph_json` with (the same one).
  std::string refusal(const std::string& graph_json) {
    const v1::SubmitRunRequest request = submission(graph_json);
    const grpc::Status submitted = submit_status(stub(), request);
    const grpc::Status watched = submit_and_watch_status(stub(), request);
    EXPECT_EQ(submitted.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
    EXPECT_EQ(watched.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
    EXPECT_EQ(submitted.error_message(), watched.error_message());
    EXPECT_LE(submitted.error_message().size(), 4096u);
    return submitted.error_message();
  }
};

bool has(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

TEST_F(DaemonLimitsAndBounds, OverTheLimitNamesTheFlagPastTheBoundOnlyTheBound) {
  const std::string over_limit = refusal(
      R"({"nodes": [{"name": "a", "function": "discard", "max_tasks": 5000, "queue_size": 200000}]})");
  EXPECT_TRUE(has(over_limit,
                  "node 'a': max_tasks 5000 is over the limit of 1000 "
                  "(--max-tasks-per-node)"))
      << over_limit;
  EXPECT_TRUE(has(over_limit,
                  "node 'a': queue_size 200000 is over the limit of 100000 "
                  "(--max-queue-size-per-node)"))
      << over_limit;
  EXPECT_FALSE(has(over_limit, "must be at most")) << over_limit;

  const std::string past_bound = refusal(R"({"nodes": [
      {"name": "a", "function": "discard", "max_tasks": 2147483648,
       "queue_size": 9223372036854775807},
      {"name": "b", "function": "discard", "max_tasks": 9223372036854775807}]})");
  EXPECT_TRUE(has(past_bound, "node 'a': max_tasks must be at most 100000")) << past_bound;
  EXPECT_TRUE(has(past_bound, "node 'a': queue_size must be at most 1000000")) << past_bound;
  EXPECT_TRUE(has(past_bound, "node 'b': max_tasks must be at most 100000")) << past_bound;
  // Nor do values past the bound add up (and wrap) in the per-run sums.
  EXPECT_FALSE(has(past_bound, "(--max-")) << past_bound;

  // A name too long to repeat is an index in the limit's message, as in validation's.
  const std::string long_name = refusal(R"({"nodes": [{"name": ")" + std::string(100'000, 'n') +
                                        R"(", "function": "discard", "max_tasks": 5000}]})");
  EXPECT_TRUE(has(long_name,
                  "nodes[0]: max_tasks 5000 is over the limit of 1000 "
                  "(--max-tasks-per-node)"))
      << long_name;
  expect_still_serving(daemon(), stub());
}

TEST_F(DaemonLimitsAndBounds, MoreNodesThanTheBoundGetTheBoundsMessageAlone) {
  std::string nodes;
  for (int i = 0; i < 10'001; ++i)
    nodes += (i ? ", " : "") + std::string(R"({"name": ")") + std::to_string(i) +
             R"(", "function": "discard"})";
  const std::string text = refusal(R"({"nodes": [)" + nodes + "]}");
  EXPECT_TRUE(has(text, "graph: the graph has 10001 nodes; at most 10000")) << text;
  EXPECT_FALSE(has(text, "--max-nodes")) << text;

  const std::string over_limit =
      refusal(R"({"nodes": [)" + nodes.substr(0, nodes.find(R"({"name": "1001")") - 2) + "]}");
  EXPECT_TRUE(
      has(over_limit, "graph: the number of nodes, 1001 is over the limit of 1000 (--max-nodes)"))
      << over_limit;
}

TEST(DaemonLimitFlags, ALimitPastTheFormatsBoundIsRefusedAtStartup) {
  const std::pair<const char*, const char*> past[] = {{"--max-nodes", "10001"},
                                                      {"--max-tasks-per-node", "100001"},
                                                      {"--max-queue-size-per-node", "1000001"}};
  for (const auto& [flag, value] : past) {
    StartupOutcome outcome = start_expecting_failure(AGDF_SERVER_BIN, {"--no-store", flag, value});
    EXPECT_GT(outcome.exit_code, 0) << flag;
    EXPECT_TRUE(has(outcome.err, flag)) << outcome.err;
    EXPECT_TRUE(has(outcome.err, "not in range 1 to")) << outcome.err;
  }
  // At the bounds it serves.
  DaemonProcess daemon(AGDF_SERVER_BIN,
                       {"--log-level", "warn", "--no-store", "--max-nodes", "10000",
                        "--max-tasks-per-node", "100000", "--max-queue-size-per-node", "1000000"});
  auto stub = daemon.stub();
  expect_still_serving(daemon, *stub);
}

}  // namespace
}  // namespace agdf::testing
