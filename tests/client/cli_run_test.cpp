// `agdf run`, `watch`, `status`, `runs` and `cancel` against a real agdf-server.
#include <algorithm>
#include <map>

#include "client/cli_fixture.hpp"

namespace agdf::client::testing {
namespace {

/// in/out/err of one node.
using Counts = std::array<std::uint64_t, 3>;

struct ExampleRun {
  std::string file;
  std::string state;
  int exit_code;
  std::map<std::string, Counts> counts;
};

void PrintTo(const ExampleRun& run, std::ostream* os) {
  *os << run.file;
}

Counts counts_of(const json& stats, const std::string& node) {
  const json& s = stats.at(node);
  return {s.at("in").get<std::uint64_t>(), s.at("out").get<std::uint64_t>(),
          s.at("err").get<std::uint64_t>()};
}

/// The expected results listed in examples/README.md.
const std::vector<ExampleRun> kExamples = {
    {"three_nodes.json",
     "completed",
     0,
     {{"extract", {0, 2, 0}}, {"transform", {2, 2, 0}}, {"load", {2, 2, 0}}}},
    {"branching.json",
     "completed",
     0,
     {{"extract", {0, 2, 0}},
      {"transform", {2, 2, 0}},
      {"load", {2, 2, 0}},
      {"print_data", {2, 2, 0}},
      {"end_task", {2, 2, 0}}}},
    {"concurrent_tasks.json", "completed", 0, {{"node1", {0, 5, 0}}, {"node2", {5, 5, 0}}}},
    {"custom_start_nodes.json",
     "completed",
     0,
     {{"node1", {0, 0, 0}}, {"node2", {0, 2, 0}}, {"node3", {2, 2, 0}}}},
    {"start_node_args.json",
     "completed",
     0,
     {{"node1", {0, 1, 0}}, {"node2", {0, 1, 0}}, {"node3", {2, 2, 0}}}},
    {"no_edges.json",
     "completed",
     0,
     {{"node1", {0, 1, 0}}, {"node2", {0, 1, 0}}, {"node3", {0, 1, 0}}}},
    {"halt_at_node.json",
     "halted",
     3,
     {{"extract", {0, 5, 0}},
      {"transform", {5, 5, 0}},
      {"load", {5, 2, 1}},
      {"output", {2, 2, 0}}}},
    {"halt_at_any_node.json",
     "halted",
     3,
     {{"extract", {0, 5, 0}},
      {"transform", {5, 5, 0}},
      {"load", {5, 1, 1}},
      {"output", {1, 1, 0}}}},
    {"mismatched_arguments.json",
     "completed",
     1,
     {{"extract", {0, 8, 0}}, {"load", {8, 5, 3}}, {"output", {5, 5, 0}}}},
    {"raising_exception.json", "completed", 1, {{"node1", {0, 2, 0}}, {"node2", {2, 0, 2}}}},
};

class AgdfRunExample : public ::testing::TestWithParam<ExampleRun> {};

TEST_P(AgdfRunExample, PrintsEveryEventAndExitsWithTheFinalStateCode) {
  const ExampleRun& expected = GetParam();
  const auto result = agdf({"--json", "run", example(expected.file)});
  EXPECT_EQ(result.exit_code, expected.exit_code) << result.err;
  const auto events = json_lines(result);
  expect_complete_event_stream(events);
  ASSERT_FALSE(events.empty());
  const json& finished = events.back();
  EXPECT_EQ(finished.at("state"), expected.state);
  for (const auto& [node, counts] : expected.counts)
    EXPECT_EQ(counts_of(finished.at("stats"), node), counts) << node;
  const auto errors = std::count_if(events.begin(), events.end(),
                                    [](const json& e) { return e.at("type") == "node_error"; });
  std::uint64_t err_total = 0;
  for (const auto& [node, counts] : expected.counts) err_total += counts[2];
  EXPECT_EQ(static_cast<std::uint64_t>(errors), err_total);
}

INSTANTIATE_TEST_SUITE_P(Examples, AgdfRunExample, ::testing::ValuesIn(kExamples),
                         [](const auto& info) {
                           std::string name = info.param.file.substr(0, info.param.file.find('.'));
                           std::erase(name, '_');
                           return name;
                         });

TEST(AgdfRun, ReportsTheHaltingErrorInTheFinishedEvent) {
  const auto result = agdf({"--json", "run", example("halt_at_node.json")});
  EXPECT_EQ(result.exit_code, 3);
  const json finished = json_lines(result).back();
  EXPECT_EQ(finished.at("exceptions").at("load"),
            json::parse(R"([{"type": "ValueError", "message": "intentional error for Data3"}])"))
      << finished.dump();
}

TEST(AgdfRun, StartOverridesTheStartNodesOfTheGraph) {
  const auto result =
      agdf({"--json", "run", example("start_node_args.json"), "--start", R"(node1=["bar"])"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  const auto events = json_lines(result);
  expect_complete_event_stream(events);
  EXPECT_EQ(events.front().at("start_nodes"), json::parse(R"({"node1": ["bar"]})"));
  const json& stats = events.back().at("stats");
  EXPECT_EQ(counts_of(stats, "node1"), (Counts{0, 1, 0}));
  EXPECT_EQ(counts_of(stats, "node2"), (Counts{0, 0, 0}));
  EXPECT_EQ(counts_of(stats, "node3"), (Counts{1, 1, 0}));
}

TEST(AgdfRun, CaptureStreamsANodesItemsAsJson) {
  const auto result =
      agdf({"--json", "run", example("halt_at_node.json"), "--capture", "transform"});
  EXPECT_EQ(result.exit_code, 3) << result.err;
  std::vector<json> items;
  for (const auto& e : json_lines(result))
    if (e.at("type") == "output") {
      EXPECT_EQ(e.at("node"), "transform");
      items.push_back(e.at("item"));
    }
  EXPECT_EQ(items, (std::vector<json>{"Data1", "Data2", "Data3", "Data4", "Data5"}));
}

TEST(AgdfRun, DataFlowLoggingArrivesAsLogEvents) {
  const auto result =
      agdf({"--json", "run", example("concurrent_tasks.json"), "--log-interval", "60000"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  std::vector<std::string> lines;
  for (const auto& e : json_lines(result))
    if (e.at("type") == "log") lines.push_back(e.at("line"));
  EXPECT_NE(std::find(lines.begin(), lines.end(), " node2 - in=5, out=5, err=0"), lines.end())
      << ::testing::PrintToString(lines);
}

TEST(AgdfRun, AnInvalidGraphExitsTwoAndSaysWhy) {
  TempGraph graph(R"({"nodes": [{"name": "a", "function": "no_such_function"}], "edges": []})");
  const auto result = agdf({"--json", "run", graph.path()});
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_EQ(result.out, "");
  EXPECT_NE(result.err.find("no_such_function"), std::string::npos) << result.err;
}

TEST(AgdfRun, AnUnknownKeyInTheGraphFileIsAnError) {
  TempGraph graph(R"({"nodes": [{"name": "a", "function": "print", "colour": "red"}]})");
  const auto result = agdf({"run", graph.path()});
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_NE(result.err.find("colour"), std::string::npos) << result.err;
}

TEST(AgdfRun, DetachPrintsTheRunIdThenWatchAndStatusFollowIt) {
  const auto submitted = agdf({"run", example("three_nodes.json"), "--detach"});
  ASSERT_EQ(submitted.exit_code, 0) << submitted.err;
  ASSERT_EQ(submitted.out_lines().size(), 1u) << submitted.out;
  const std::string run_id = submitted.out_lines()[0];

  const auto watched = agdf({"--json", "watch", run_id});
  EXPECT_EQ(watched.exit_code, 0) << watched.err;
  const auto events = json_lines(watched);
  expect_complete_event_stream(events);
  ASSERT_FALSE(events.empty());
  EXPECT_EQ(events.front().at("run_id"), run_id);
  EXPECT_EQ(counts_of(events.back().at("stats"), "load"), (Counts{2, 2, 0}));

  const auto from_two = json_lines(agdf({"--json", "watch", run_id, "--from", "2"}));
  ASSERT_EQ(from_two.size() + 1, events.size());
  for (std::size_t i = 0; i < from_two.size(); ++i) EXPECT_EQ(from_two[i], events[i + 1]);

  const auto status = agdf({"--json", "status", run_id});
  ASSERT_EQ(status.exit_code, 0) << status.err;
  const json info = json_lines(status).at(0);
  EXPECT_EQ(info.at("run_id"), run_id);
  EXPECT_EQ(info.at("state"), "completed");
  EXPECT_EQ(info.at("last_seq"), events.back().at("seq"));
  EXPECT_EQ(counts_of(info.at("stats"), "transform"), (Counts{2, 2, 0}));

  const auto text = agdf({"status", run_id});
  EXPECT_NE(text.out.find("state      completed\n"), std::string::npos) << text.out;
}

TEST(AgdfRun, DetachWithJsonPrintsTheIdAndState) {
  const auto submitted = agdf({"--json", "run", example("no_edges.json"), "--detach"});
  ASSERT_EQ(submitted.exit_code, 0) << submitted.err;
  const json line = json_lines(submitted).at(0);
  EXPECT_FALSE(line.at("run_id").get<std::string>().empty());
  EXPECT_TRUE(line.at("state") == "queued" || line.at("state") == "running") << line;
  EXPECT_EQ(agdf({"--json", "watch", line.at("run_id")}).exit_code, 0);
}

TEST(AgdfCancel, ALongRunEndsWithExitFourForItsRunnerAndItsWatcher) {
  TempGraph graph(R"({"nodes": [{"name": "wait", "function": "sleep", "config": {"ms": 60000}}]})");
  const std::string address = shared_server().address();
  ChildProcess runner(agdf_command(address, {"--json", "run", graph.path()}));
  const auto started = runner.read_line(kCliTimeout);
  ASSERT_TRUE(started) << "no started event";
  const std::string run_id = json::parse(*started).at("run_id");

  ChildProcess watcher(agdf_command(address, {"--json", "watch", run_id}));
  ASSERT_TRUE(watcher.read_line(kCliTimeout)) << "the watcher saw nothing";

  const auto cancelled = agdf({"--json", "cancel", run_id});
  EXPECT_EQ(cancelled.exit_code, 0) << cancelled.err;
  EXPECT_EQ(json_lines(cancelled).at(0).at("run_id"), run_id);

  EXPECT_EQ(runner.wait(kCliTimeout), 4) << runner.stderr_text();
  EXPECT_EQ(watcher.wait(kCliTimeout), 4) << watcher.stderr_text();
  for (const ChildProcess* child : {&runner, &watcher}) {
    const std::string& rest = child->unread_stdout();
    const auto last_line_start = rest.rfind('\n', rest.size() - 2);
    const json finished =
        json::parse(rest.substr(last_line_start == std::string::npos ? 0 : last_line_start + 1));
    EXPECT_EQ(finished.at("type"), "finished");
    EXPECT_EQ(finished.at("state"), "cancelled");
  }
  EXPECT_EQ(json_lines(agdf({"--json", "status", run_id})).at(0).at("state"), "cancelled");
}

TEST(AgdfRuns, FiltersByLabelAndStateAndLimits) {
  const std::string label = "suite=" + unique_label("runs");
  std::vector<std::string> ids;
  for (int i = 0; i < 2; ++i) {
    const auto submitted = agdf({"run", example("three_nodes.json"), "--label", label, "--label",
                                 "n=" + std::to_string(i), "--detach"});
    ASSERT_EQ(submitted.exit_code, 0) << submitted.err;
    ids.push_back(submitted.out_lines().at(0));
    ASSERT_EQ(agdf({"--json", "watch", ids.back()}).exit_code, 0);
  }

  const auto listed = json_lines(agdf({"--json", "runs", "--label", label}));
  ASSERT_EQ(listed.size(), 2u);
  EXPECT_EQ(listed[0].at("run_id"), ids[1]);  // newest first
  EXPECT_EQ(listed[1].at("run_id"), ids[0]);
  EXPECT_EQ(listed[0].at("labels").at("n"), "1");

  EXPECT_EQ(json_lines(agdf({"--json", "runs", "--label", label, "--limit", "1"})).size(), 1u);
  EXPECT_EQ(json_lines(agdf({"--json", "runs", "--label", label, "--state", "completed"})).size(),
            2u);
  EXPECT_EQ(json_lines(agdf({"--json", "runs", "--label", label, "--state", "halted"})).size(), 0u);
  EXPECT_EQ(json_lines(agdf({"--json", "runs", "--label", label, "--label", "n=0"})).size(), 1u);

  const auto text = agdf({"runs", "--label", label});
  ASSERT_EQ(text.exit_code, 0);
  EXPECT_NE(text.out.find(ids[0]), std::string::npos) << text.out;
}

}  // namespace
}  // namespace agdf::client::testing
