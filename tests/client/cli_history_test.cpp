// The run history through the CLI: after a graceful stop and a restart on the same state
// directory, `agdf runs`, `agdf status` and `agdf watch` print exactly what they printed.
#include <cstdlib>

#include "client/cli_fixture.hpp"

namespace agdf::client::testing {
namespace {

class StateDir {
 public:
  StateDir() {
    std::string pattern =
        (std::filesystem::temp_directory_path() / "agdf-cli-history-XXXXXX").string();
    path_ = ::mkdtemp(pattern.data());
  }
  ~StateDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  std::string path() const { return (path_ / "state").string(); }

 private:
  std::filesystem::path path_;
};

Finished agdf_at(const ServerProcess& server, const std::vector<std::string>& args) {
  return run_to_end(agdf_command(server.address(), args), kCliTimeout);
}

/// What a user sees of the history, as text and as JSON.
std::vector<std::string> views(const ServerProcess& server, const std::vector<std::string>& ids) {
  std::vector<std::string> seen;
  for (const auto& args : std::vector<std::vector<std::string>>{
           {"runs"}, {"--json", "runs"}, {"--json", "runs", "--state", "halted"}}) {
    Finished f = agdf_at(server, args);
    EXPECT_EQ(f.exit_code, 0) << f.err;
    seen.push_back(f.out);
  }
  for (const auto& id : ids) {
    for (const auto& args : std::vector<std::vector<std::string>>{
             {"status", id}, {"--json", "status", id}, {"--json", "watch", id}}) {
      Finished f = agdf_at(server, args);
      seen.push_back(std::to_string(f.exit_code) + "\n" + f.out);
    }
  }
  return seen;
}

TEST(AgdfHistory, AfterARestartRunsStatusAndWatchShowOldRunsExactlyAsBefore) {
  StateDir state;
  TempGraph completes(R"({"nodes": [{"name": "numbers", "function": "range", "config": {"stop": 4}},
                                    {"name": "sink", "function": "discard"}],
                          "edges": [["numbers", "sink"]]})");
  TempGraph halts(R"({"halt_on_exception": true,
                      "nodes": [{"name": "numbers", "function": "range", "config": {"stop": 5}},
                                {"name": "fail", "function": "fail_if", "config": {"values": [2]}}],
                      "edges": [["numbers", "fail"]]})");
  std::vector<std::string> ids;
  std::vector<std::string> before;
  {
    ServerProcess server({"--state-dir", state.path(), "--log-level", "warn"});
    for (const auto* graph : {&completes, &halts}) {
      Finished run = agdf_at(server, {"--json", "run", graph->path(), "--label", "suite=history"});
      ASSERT_FALSE(run.out_lines().empty()) << run.err;
      ids.push_back(json::parse(run.out_lines().front()).at("run_id"));
    }
    before = views(server, ids);
    ASSERT_EQ(server.stop(), 0);
  }
  ServerProcess server({"--state-dir", state.path(), "--log-level", "warn"});
  const std::vector<std::string> after = views(server, ids);
  ASSERT_EQ(after.size(), before.size());
  for (std::size_t i = 0; i < before.size(); ++i) EXPECT_EQ(after[i], before[i]) << i;
  EXPECT_NE(before[0].find(ids[1]), std::string::npos) << before[0];
}

TEST(AgdfHistory, ARunFollowedThroughAKill9AndARestartEndsFailedNamingTheInterruption) {
  StateDir state;
  const std::string listen = "127.0.0.1:" + std::to_string(unused_port());
  TempGraph slow(R"({"nodes": [{"name": "numbers", "function": "range", "config": {"stop": 100}},
                               {"name": "slow", "function": "sleep", "config": {"ms": 50}}],
                     "edges": [["numbers", "slow"]]})");
  std::vector<std::string> flags{"--state-dir", state.path(),  "--listen",
                                 listen,        "--log-level", "warn"};
  auto first = std::make_unique<ServerProcess>(flags);
  ChildProcess runner(agdf_command(listen, {"--json", "run", slow.path(), "--capture", "slow"}));
  std::vector<json> events;
  while (events.size() < 5) {  // started, then some outputs: the run is well under way
    const auto line = runner.read_line(kCliTimeout);
    ASSERT_TRUE(line) << runner.stderr_text();
    events.push_back(json::parse(*line));
  }
  first->kill();
  first.reset();
  ServerProcess second(flags);  // same state directory, same address

  EXPECT_EQ(runner.wait(kCliTimeout), 5) << runner.stderr_text();  // 5: the run failed
  for (auto& e : json_lines({0, runner.unread_stdout(), ""})) events.push_back(std::move(e));
  expect_complete_event_stream(events);
  const json& finished = events.back();
  EXPECT_EQ(finished.at("state"), "failed");
  EXPECT_NE(finished.at("failure").get<std::string>().find("interrupted"), std::string::npos)
      << finished;
}

}  // namespace
}  // namespace agdf::client::testing
