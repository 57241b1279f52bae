// A watch whose connection breaks mid-run resumes from the last seq + 1: no event lost or repeated.
#include <algorithm>

#include "client/cli_fixture.hpp"
#include "client/tcp_proxy.hpp"

namespace agdf::client::testing {
namespace {

int port_of(const std::string& address) {
  return std::stoi(address.substr(address.rfind(':') + 1));
}

TEST(AgdfResume, ABrokenStreamIsResumedWithoutLosingOrRepeatingEvents) {
  TempGraph graph(R"({"nodes": [{"name": "numbers", "function": "range", "config": {"stop": 20}},
                                {"name": "slow", "function": "sleep", "config": {"ms": 100}}],
                      "edges": [["numbers", "slow"]]})");
  TcpProxy proxy(port_of(shared_server().address()));
  ChildProcess runner(
      agdf_command(proxy.address(), {"--json", "run", graph.path(), "--stats-interval", "20"}));

  std::vector<json> events;
  for (int i = 0; i < 3; ++i) {
    const auto line = runner.read_line(kCliTimeout);
    ASSERT_TRUE(line) << runner.stderr_text();
    events.push_back(json::parse(*line));
  }
  ASSERT_NE(events.back().at("type"), "finished") << "the run ended before the cut";
  proxy.cut_connections();

  EXPECT_EQ(runner.wait(kCliTimeout), 0) << runner.stderr_text();
  Finished rest{0, runner.unread_stdout(), ""};
  for (auto& e : json_lines(rest)) events.push_back(std::move(e));
  expect_complete_event_stream(events);
  EXPECT_EQ(events.back().at("state"), "completed");
  EXPECT_EQ(events.back().at("stats").at("slow").at("out"), 20);
  EXPECT_GE(proxy.connections(), 2);
}

TEST(AgdfResume, ADaemonGoneForGoodEndsTheRunCommandWithExitSixAfterRetrying) {
  TempGraph graph(R"({"nodes": [{"name": "wait", "function": "sleep", "config": {"ms": 60000}}]})");
  ServerProcess doomed;
  ChildProcess runner(agdf_command(doomed.address(), {"--json", "run", graph.path()}));
  const auto started = runner.read_line(kCliTimeout);
  ASSERT_TRUE(started) << runner.stderr_text();
  EXPECT_EQ(json::parse(*started).at("type"), "started");
  doomed.kill();

  EXPECT_EQ(runner.wait(kCliTimeout), 6);
  EXPECT_TRUE(runner.stderr_text().starts_with("agdf: cannot reach agdf-server at " +
                                               doomed.address() + ": "))
      << runner.stderr_text();
  EXPECT_EQ(std::count(runner.stderr_text().begin(), runner.stderr_text().end(), '\n'), 1);
}

}  // namespace
}  // namespace agdf::client::testing
