// http.get against a real server on loopback: retries, errors, timeouts, limits,
// concurrency and cancellation.

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>

#include "io_harness.hpp"
#include "test_http_server.hpp"

namespace agdf::io_test {
namespace {

using namespace std::chrono_literals;

/// One http.get node started once, its outputs captured.
Json get_graph(Json config, int max_tasks = 1) {
  return {{"nodes",
           {{{"name", "get"},
             {"function", "http.get"},
             {"config", config},
             {"max_tasks", max_tasks}}}}};
}

/// `values` yields the URLs, http.get fetches each.
Json fetch_each_graph(Json urls, Json config, int max_tasks = 1) {
  return {
      {"nodes",
       {{{"name", "urls"}, {"function", "values"}, {"config", {{"values", urls}}}},
        {{"name", "get"}, {"function", "http.get"}, {"config", config}, {"max_tasks", max_tasks}}}},
      {"edges", edges({{"urls", "get"}})}};
}

/// Answers 503 `failures` times, then 200 with {"ok": true}.
Handler failing_first(int failures, std::vector<std::pair<std::string, std::string>> headers = {},
                      unsigned status = 503) {
  auto count = std::make_shared<std::atomic<int>>(0);
  return [=](const TestRequest&) {
    if ((*count)++ < failures)
      return TestResponse{status, R"({"error":"busy"})", "application/json", headers};
    return TestResponse{200, R"({"ok":true})"};
  };
}

class HttpGet : public ::testing::Test {
 protected:
  TestHttpServer server;
  TempDir data;
  IoEngine engine;
};

TEST_F(HttpGet, YieldsTheDecodedJsonBody) {
  server.route("/thing", [](const TestRequest&) { return TestResponse{200, R"({"a":[1,2]})"}; });
  auto run = engine.run(get_graph({{"url", server.url("/thing")}}), data.path(), {"get"});
  EXPECT_EQ(run.outputs_of("get"), (std::vector<Item>{Json{{"a", {1, 2}}}}));
}

TEST_F(HttpGet, SendsConfiguredAndPassedQueryParametersEncoded) {
  server.route("/q", [](const TestRequest&) { return TestResponse{200, "[]"}; });
  Json graph = {{"nodes",
                 {{{"name", "args"},
                   {"function", "values"},
                   {"config", {{"values", {{{"params", {{"page", 2}}}}}}}}},
                  {{"name", "get"},
                   {"function", "http.get"},
                   {"config",
                    {{"url", server.url("/q")},
                     {"params", {{"by_country", "United States"}, {"x", "a&b=c"}}}}}}}},
                {"edges", edges({{"args", "get"}})}};
  engine.run(graph, data.path());
  const auto requests = server.received("/q");
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_EQ(requests[0].query.at("by_country"), "United States");
  EXPECT_EQ(requests[0].query.at("x"), "a&b=c");
  EXPECT_EQ(requests[0].query.at("page"), "2");
}

TEST_F(HttpGet, YieldsTextWhenAskedFor) {
  server.route("/t", [](const TestRequest&) { return TestResponse{200, "hello", "text/plain"}; });
  auto run = engine.run(get_graph({{"url", server.url("/t")}, {"response", "text"}}), data.path(),
                        {"get"});
  EXPECT_EQ(run.outputs_of("get"), (std::vector<Item>{"hello"}));
}

TEST_F(HttpGet, RetriesOn503ThenSucceeds) {
  server.route("/flaky", failing_first(2));
  auto run =
      engine.run(get_graph({{"url", server.url("/flaky")}, {"retries", 3}, {"backoff_ms", 1}}),
                 data.path(), {"get"});
  EXPECT_EQ(run.result.status, engine::RunStatus::completed);
  EXPECT_EQ(run.stats("get"), (engine::NodeStats{0, 1, 0}));
  EXPECT_EQ(run.outputs_of("get"), (std::vector<Item>{Json{{"ok", true}}}));
  EXPECT_EQ(server.requests("/flaky"), 3u);
  EXPECT_EQ(run.logs_of("get").size(), 2u) << "each retry is logged to the run";
}

TEST_F(HttpGet, GivesUpAfterTheLastRetryWithAnHttpError) {
  server.route("/down", failing_first(100));
  auto run = engine.run(
      get_graph({{"url", server.url("/down")}, {"retries", 2}, {"backoff_ms", 1}}), data.path());
  EXPECT_EQ(run.stats("get").err, 1u);
  ASSERT_EQ(run.node("get").errors.size(), 1u);
  EXPECT_EQ(run.node("get").errors[0].type, "HTTPError");
  EXPECT_NE(run.node("get").errors[0].message.find("503"), std::string::npos);
  EXPECT_EQ(server.requests("/down"), 3u);
}

TEST_F(HttpGet, HonoursRetryAfterOn429) {
  server.route("/limited", failing_first(1, {{"Retry-After", "1"}}, 429));
  const auto start = std::chrono::steady_clock::now();
  auto run = engine.run(
      get_graph({{"url", server.url("/limited")}, {"retries", 1}, {"backoff_ms", 1}}), data.path());
  const auto waited = std::chrono::steady_clock::now() - start;
  EXPECT_EQ(run.stats("get"), (engine::NodeStats{0, 1, 0}));
  EXPECT_EQ(server.requests("/limited"), 2u);
  EXPECT_GE(waited, 900ms) << "Retry-After: 1 asks for a second, backoff_ms would be 1 ms";
}

TEST_F(HttpGet, A404IsANodeErrorAndTheRunGoesOn) {
  server.route("/a", [](const TestRequest&) { return TestResponse{200, "1"}; });
  server.route("/b", [](const TestRequest&) { return TestResponse{200, "2"}; });
  auto run =
      engine.run(fetch_each_graph({server.url("/a"), server.url("/missing"), server.url("/b")},
                                  {{"retries", 3}, {"backoff_ms", 1}}),
                 data.path(), {"get"});
  EXPECT_EQ(run.result.status, engine::RunStatus::completed);
  EXPECT_EQ(run.stats("get"), (engine::NodeStats{3, 2, 1}));
  EXPECT_EQ(run.outputs_of("get"), (std::vector<Item>{1, 2}));
  ASSERT_EQ(run.node("get").errors.size(), 1u);
  EXPECT_EQ(run.node("get").errors[0].type, "HTTPError");
  EXPECT_NE(run.node("get").errors[0].message.find("404"), std::string::npos);
  EXPECT_EQ(server.requests("/missing"), 1u) << "a 4xx is not retried";
}

TEST_F(HttpGet, ASlowServerHitsTheTimeout) {
  server.route("/slow", [](const TestRequest&) { return TestResponse{.hang = true}; });
  auto run = engine.run(
      get_graph(
          {{"url", server.url("/slow")}, {"timeout_ms", 200}, {"retries", 1}, {"backoff_ms", 1}}),
      data.path());
  EXPECT_EQ(run.result.status, engine::RunStatus::completed);
  ASSERT_EQ(run.node("get").errors.size(), 1u);
  EXPECT_EQ(run.node("get").errors[0].type, "TimeoutError");
  EXPECT_EQ(server.requests("/slow"), 2u) << "a timeout is retried like a connection error";
}

TEST_F(HttpGet, ABodyThatIsNotJsonIsANodeError) {
  server.route("/html", [](const TestRequest&) {
    return TestResponse{200, "<html>oops</html>", "text/html"};
  });
  auto run = engine.run(get_graph({{"url", server.url("/html")}}), data.path());
  ASSERT_EQ(run.node("get").errors.size(), 1u);
  EXPECT_EQ(run.node("get").errors[0].type, "ValueError");
  EXPECT_NE(run.node("get").errors[0].message.find("not JSON"), std::string::npos);
}

TEST_F(HttpGet, AResponseOverTheSizeLimitIsANodeError) {
  server.route("/big", [](const TestRequest&) {
    return TestResponse{200, "[" + std::string(5000, ' ') + "]"};
  });
  auto run = engine.run(get_graph({{"url", server.url("/big")}, {"max_response_bytes", 1000}}),
                        data.path());
  ASSERT_EQ(run.node("get").errors.size(), 1u);
  EXPECT_EQ(run.node("get").errors[0].type, "ValueError");
  EXPECT_NE(run.node("get").errors[0].message.find("larger than 1000 bytes"), std::string::npos);
}

TEST_F(HttpGet, ARefusedConnectionIsRetriedThenAConnectionError) {
  std::string closed_url;
  {
    TestHttpServer gone;
    closed_url = gone.url("/x");
  }
  auto run =
      engine.run(get_graph({{"url", closed_url}, {"retries", 2}, {"backoff_ms", 1}}), data.path());
  ASSERT_EQ(run.node("get").errors.size(), 1u);
  EXPECT_EQ(run.node("get").errors[0].type, "ConnectionError");
  EXPECT_NE(run.node("get").errors[0].message.find("after 3 attempts"), std::string::npos);
}

TEST_F(HttpGet, FollowsARedirect) {
  server.route("/old", [](const TestRequest&) {
    return TestResponse{301, "", "text/plain", {{"Location", "/new"}}};
  });
  server.route("/new", [](const TestRequest&) { return TestResponse{200, "\"moved\""}; });
  auto run = engine.run(get_graph({{"url", server.url("/old")}}), data.path(), {"get"});
  EXPECT_EQ(run.outputs_of("get"), (std::vector<Item>{"moved"}));
}

TEST_F(HttpGet, TasksOfANodeRequestConcurrently) {
  // The server answers only once all four requests wait together; one at a time, the
  // first would time out.
  server.route("/together", [](const TestRequest&) {
    return TestResponse{200, "true", "application/json", {}, false, 4};
  });
  const Json urls = Json::array({server.url("/together"), server.url("/together"),
                                 server.url("/together"), server.url("/together")});
  auto run =
      engine.run(fetch_each_graph(urls, {{"timeout_ms", 20000}, {"retries", 0}}, 4), data.path());
  EXPECT_EQ(run.stats("get"), (engine::NodeStats{4, 4, 0}));
}

TEST_F(HttpGet, CancellingTheRunCancelsTheRequestInFlight) {
  server.route("/forever", [](const TestRequest&) { return TestResponse{.hang = true}; });
  auto running = engine.start(get_graph({{"url", server.url("/forever")}, {"timeout_ms", 600000}}),
                              data.path());
  ASSERT_TRUE(server.wait_for_requests("/forever", 1));
  running->cancel();
  auto run = running->wait();
  EXPECT_EQ(run.result.status, engine::RunStatus::cancelled);
  EXPECT_EQ(run.stats("get").err, 0u);
}

TEST_F(HttpGet, ABadUrlIsRefusedAtValidation) {
  auto problems = engine.problems(get_graph({{"url", "ftp://example.com/x"}}), data.path());
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_EQ(problems[0],
            "node 'get': config.url has scheme 'ftp'; only http and https are supported");
}

}  // namespace
}  // namespace agdf::io_test
