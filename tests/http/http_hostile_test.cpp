// The HTTP JSON API (POST /api/runs) is a third door for the same SubmitRunRequest: issue 9's
// hostile graphs get 400 with exactly SubmitRun's message, and afterwards the daemon still
// answers health and completes a normal run.
#include <gtest/gtest.h>

#include "http/http_fixture.hpp"
#include "server/hostile_client.hpp"

namespace agdf::http_test {
namespace {

using agdf::testing::submission;
using agdf::testing::submit_status;

class HttpHostileInput : public HttpDaemonTest {
 protected:
  /// POSTs `graph_json` (with `query`), expects 400 carrying SubmitRun's message for the
  /// same request, containing `text`.
  void expect_refused(const std::string& graph_json, const std::string& text,
                      const std::string& query = {},
                      const v1::SubmitRunRequest* same_request = nullptr) {
    const HttpAnswer answer = request(http(), "POST", "/api/runs" + query, graph_json);
    ASSERT_EQ(answer.status, 400u) << answer.body.substr(0, 300);
    const v1::SubmitRunRequest grpc_request = same_request ? *same_request : submission(graph_json);
    const grpc::Status status = submit_status(stub(), grpc_request);
    EXPECT_EQ(answer.json()["code"], "INVALID_ARGUMENT");
    EXPECT_EQ(answer.json()["error"], status.error_message());
    EXPECT_NE(status.error_message().find(text), std::string::npos) << status.error_message();
    EXPECT_LE(answer.body.size(), 8192u);
    agdf::testing::expect_still_serving(daemon(), stub());
  }
};

std::string nested_not(int depth) {
  std::string open, close;
  for (int i = 0; i < depth; ++i) open += R"({"not": )", close += "}";
  return open + R"({"field": "x", "op": "exists"})" + close;
}

TEST_F(HttpHostileInput, IssueNineReproducersGetSubmitRunsAnswer) {
  expect_refused(
      R"({"nodes": [{"name": "a", "function": "discard", "max_tasks": 9223372036854775807}]})",
      "node 'a': max_tasks must be at most 100000");
  expect_refused(R"({"nodes": [{"name": "a", "function": "range", "config": {"stop": 2}},
                               {"name": "b", "function": "discard"}],
                     "edges": [{"from": "a", "to": "b", "when": )" +
                     nested_not(20'000) + "}]}",
                 "nested deeper than 100 levels of arrays and objects");
  expect_refused(
      R"({"nodes": [{"name": ")" + std::string(100'000, 'n') + R"(", "function": "discard"}]})",
      "the node name is 100000 bytes long; at most 256");
  expect_refused("{\"nodes\": [\xff]}", "not valid UTF-8 at byte 11");
  expect_refused(std::string("{\"nodes\": []}\n\0garbage", 22),
                 "line 2, column 1: syntax error - unexpected NUL byte after the value");
  expect_refused(R"({"nodes": [{"name": "s", "function": "sleep", "config": {"ms": 50},
                                "timeout_ms": 10000000000000}]})",
                 "timeout_ms must be at most 2592000000 (30 days)");

  // A label from the query string, past its bound.
  const std::string graph = agdf::testing::range_to_discard(1);
  v1::SubmitRunRequest labelled = submission(graph);
  (*labelled.mutable_labels())["team"] = std::string(5000, 'v');
  expect_refused(graph, "labels: the value of 'team' is 5000 bytes long; at most 1024",
                 "?label=team=" + std::string(5000, 'v'), &labelled);
}

TEST_F(HttpHostileInput, ABadQueryValueIsQuotedShortened) {
  const HttpAnswer answer = get(http(), "/api/runs?state=" + std::string(10'000, 'x'));
  ASSERT_EQ(answer.status, 400u);
  EXPECT_NE(answer.body.find("... (10000 bytes)"), std::string::npos) << answer.body;
  EXPECT_LE(answer.body.size(), 400u);
}

}  // namespace
}  // namespace agdf::http_test
