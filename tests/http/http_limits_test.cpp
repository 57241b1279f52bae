// What the HTTP port does with requests it will not serve, and how it stays available.
#include <gtest/gtest.h>

#include <csignal>
#include <memory>

#include "http/http_fixture.hpp"

namespace agdf::http_test {
namespace {

namespace v1 = ::agdf::v1;

class HttpLimits : public HttpDaemonTest {};

TEST_F(HttpLimits, HealthzAndReadyzAnswerWhileServing) {
  const HttpAnswer health = get(http(), "/healthz");
  EXPECT_EQ(health.status, 200u);
  EXPECT_EQ(health.body, "ok\n");
  EXPECT_EQ(get(http(), "/readyz").status, 200u);
}

TEST_F(HttpLimits, ReadyzTurns503WhenTheDaemonStartsShuttingDown) {
  start_http_daemon({"--grace-period", "60"});
  const std::string running = submit(agdf::testing::sleeps_a_minute());
  daemon().send_signal(SIGTERM);
  // The running run keeps the daemon up for its grace period; readiness goes at once.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  unsigned status = 200;
  while (status == 200 && std::chrono::steady_clock::now() < deadline)
    status = get(http(), "/readyz").status;
  EXPECT_EQ(status, 503u);
  EXPECT_EQ(get(http(), "/healthz").status, 200u);
  cancel_run(running);
  EXPECT_EQ(daemon().wait_exit(std::chrono::seconds(30)), 0);
}

TEST_F(HttpLimits, ABodyOverTheLimitIs413BeforeItIsSent) {
  // The declared length is enough: the daemon answers without reading a byte of it.
  for (const std::string expect : {"", "Expect: 100-continue\r\n"}) {
    IdleConnection raw(http());
    raw.send("POST /api/runs HTTP/1.1\r\nHost: x\r\nContent-Length: 5000000\r\n" + expect + "\r\n");
    EXPECT_TRUE(raw.read_all().starts_with("HTTP/1.1 413")) << expect;
  }
  EXPECT_EQ(get(http(), "/healthz").status, 200u);
}

TEST_F(HttpLimits, ABodyGrowingPastTheLimitIs413) {
  start_http_daemon({"--http-max-body", "1000"});
  const HttpAnswer answer = request(http(), "POST", "/api/runs", std::string(999, ' '));
  EXPECT_EQ(answer.status, 400u);  // within the limit: read, and not a graph
  IdleConnection raw(http());
  raw.send("POST /api/runs HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n" +
           std::string("7d0\r\n") + std::string(2000, ' ') + "\r\n0\r\n\r\n");
  EXPECT_TRUE(raw.read_all().starts_with("HTTP/1.1 413"));
}

TEST_F(HttpLimits, UnknownPathsAre404AndWrongMethods405) {
  EXPECT_EQ(get(http(), "/nope").status, 404u);
  EXPECT_EQ(get(http(), "/api/nope").status, 404u);
  const HttpAnswer wrong = request(http(), "DELETE", "/api/runs");
  EXPECT_EQ(wrong.status, 405u);
  EXPECT_EQ(wrong.headers.at("allow"), "GET, POST");
  EXPECT_EQ(request(http(), "POST", "/metrics").status, 405u);
}

TEST_F(HttpLimits, AMalformedRequestIs400AndTheConnectionCloses) {
  IdleConnection raw(http());
  raw.send("NOT HTTP AT ALL\r\n\r\n");
  EXPECT_TRUE(raw.read_all().starts_with("HTTP/1.1 400")) << "no 400 before the close";
  EventStream bad_escape(http(), "/%zz");
  EXPECT_EQ(bad_escape.status(), 400u);
  EXPECT_EQ(get(http(), "/healthz").status, 200u);
}

TEST_F(HttpLimits, ConnectionsBeyondTheCapGet503AndServiceResumesWhenTheyClose) {
  start_http_daemon({"--http-max-connections", "3"});
  std::vector<std::unique_ptr<IdleConnection>> held;
  for (int i = 0; i < 3; ++i) held.push_back(std::make_unique<IdleConnection>(http()));
  // Each idle connection is accepted before the next connect returns from the server's
  // point of view only once its session started, so wait until a fourth is refused.
  std::string refused;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (refused.empty() && std::chrono::steady_clock::now() < deadline) {
    IdleConnection extra(http());
    refused = extra.read_all(std::chrono::seconds(2));
  }
  EXPECT_TRUE(refused.starts_with("HTTP/1.1 503")) << refused;
  // gRPC is not affected, and the port serves again once a connection goes.
  EXPECT_EQ(get_run(submit(agdf::testing::range_to_discard(3))).run_id().empty(), false);
  held.pop_back();
  const auto again = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  unsigned status = 0;
  while (status != 200 && std::chrono::steady_clock::now() < again) {
    try {
      status = get(http(), "/healthz").status;
    } catch (const std::exception&) {
      status = 0;  // refused with a bare 503 the client could not parse as a full answer
    }
  }
  EXPECT_EQ(status, 200u);
}

}  // namespace
}  // namespace agdf::http_test
