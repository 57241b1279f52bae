// The one-shot runner as a user meets it: the real agdf-server binary, run on every
// example graph file, its single JSON object and its exit status checked.
#include <signal.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "support/child_process.hpp"

namespace agdf::test {
namespace {

using Json = nlohmann::json;
namespace fs = std::filesystem;
using agdf::testing::ChildProcess;
using agdf::testing::run_to_end;

const std::string kServer = AGDF_SERVER_BIN;
const fs::path kExamples = AGDF_EXAMPLES_DIR;

struct Example {
  const char* file;
  int exit_code;
  const char* expected;  ///< the whole --json object
};

void PrintTo(const Example& e, std::ostream* os) {
  *os << e.file;
}

class ExampleFile : public ::testing::TestWithParam<Example> {};

TEST_P(ExampleFile, RunsAsItIsWithTheReferenceCounts) {
  const Example& example = GetParam();
  auto r = run_to_end({kServer, "run", (kExamples / example.file).string(), "--json"});

  ASSERT_FALSE(r.timed_out());
  EXPECT_EQ(r.exit_code, example.exit_code) << r.err;
  Json out;
  ASSERT_NO_THROW(out = Json::parse(r.out)) << "stdout is not exactly one JSON object:\n" << r.out;
  EXPECT_EQ(out, Json::parse(example.expected)) << out.dump(2);
}

INSTANTIATE_TEST_SUITE_P(
    Examples, ExampleFile,
    ::testing::Values(
        Example{"three_nodes.json", 0, R"({"status": "completed", "start_nodes": {"extract": []},
          "stats": {"extract": {"in": 0, "out": 2, "err": 0}, "transform": {"in": 2, "out": 2, "err": 0},
                    "load": {"in": 2, "out": 2, "err": 0}},
          "exceptions": {"extract": [], "transform": [], "load": []}})"},
        Example{"branching.json", 0, R"({"status": "completed", "start_nodes": {"extract": []},
          "stats": {"extract": {"in": 0, "out": 2, "err": 0}, "transform": {"in": 2, "out": 2, "err": 0},
                    "load": {"in": 2, "out": 2, "err": 0}, "print_data": {"in": 2, "out": 2, "err": 0},
                    "end_task": {"in": 2, "out": 2, "err": 0}},
          "exceptions": {"extract": [], "transform": [], "load": [], "print_data": [], "end_task": []}})"},
        Example{"concurrent_tasks.json", 0, R"({"status": "completed", "start_nodes": {"node1": []},
          "stats": {"node1": {"in": 0, "out": 5, "err": 0}, "node2": {"in": 5, "out": 5, "err": 0}},
          "exceptions": {"node1": [], "node2": []}})"},
        Example{"custom_start_nodes.json", 0, R"({"status": "completed",
          "start_nodes": {"node2": ["new_data"]},
          "stats": {"node1": {"in": 0, "out": 0, "err": 0}, "node2": {"in": 0, "out": 2, "err": 0},
                    "node3": {"in": 2, "out": 2, "err": 0}},
          "exceptions": {"node1": [], "node2": [], "node3": []}})"},
        Example{"start_node_args.json", 0, R"({"status": "completed",
          "start_nodes": {"node1": ["foo"], "node2": ["hello", "world"]},
          "stats": {"node1": {"in": 0, "out": 1, "err": 0}, "node2": {"in": 0, "out": 1, "err": 0},
                    "node3": {"in": 2, "out": 2, "err": 0}},
          "exceptions": {"node1": [], "node2": [], "node3": []}})"},
        Example{"no_edges.json", 0, R"({"status": "completed",
          "start_nodes": {"node1": [], "node2": [], "node3": []},
          "stats": {"node1": {"in": 0, "out": 1, "err": 0}, "node2": {"in": 0, "out": 1, "err": 0},
                    "node3": {"in": 0, "out": 1, "err": 0}},
          "exceptions": {"node1": [], "node2": [], "node3": []}})"},
        Example{"halt_at_node.json", 3, R"({"status": "halted", "start_nodes": {"extract": []},
          "stats": {"extract": {"in": 0, "out": 5, "err": 0}, "transform": {"in": 5, "out": 5, "err": 0},
                    "load": {"in": 5, "out": 2, "err": 1}, "output": {"in": 2, "out": 2, "err": 0}},
          "exceptions": {"extract": [], "transform": [], "output": [],
                         "load": [{"type": "ValueError", "message": "intentional error for Data3"}]}})"},
        Example{"halt_at_any_node.json", 3, R"({"status": "halted", "start_nodes": {"extract": []},
          "stats": {"extract": {"in": 0, "out": 5, "err": 0}, "transform": {"in": 5, "out": 5, "err": 0},
                    "load": {"in": 5, "out": 1, "err": 1}, "output": {"in": 1, "out": 1, "err": 0}},
          "exceptions": {"extract": [], "transform": [], "output": [],
                         "load": [{"type": "ValueError", "message": "intentional error for World"}]}})"},
        Example{"mismatched_arguments.json", 0,
                R"({"status": "completed", "start_nodes": {"extract": []},
          "stats": {"extract": {"in": 0, "out": 8, "err": 0}, "load": {"in": 8, "out": 5, "err": 3},
                    "output": {"in": 5, "out": 5, "err": 0}},
          "exceptions": {"extract": [], "output": [], "load": [
            {"type": "TypeError", "message": "template() takes 1 positional argument but 2 were given"},
            {"type": "TypeError", "message": "template() got an unexpected keyword argument 'a'"},
            {"type": "TypeError", "message": "template() missing 1 required positional argument: 'data'"}]}})"},
        Example{"raising_exception.json", 0,
                R"({"status": "completed", "start_nodes": {"node1": []},
          "stats": {"node1": {"in": 0, "out": 2, "err": 0}, "node2": {"in": 2, "out": 0, "err": 2}},
          "exceptions": {"node1": [], "node2": [
            {"type": "ValueError", "message": "intentional error for hello"},
            {"type": "ValueError", "message": "intentional error for world"}]}})"}),
    [](const ::testing::TestParamInfo<Example>& info) {
      std::string name = info.param.file;
      name = name.substr(0, name.find('.'));
      return name;
    });

/// A graph file written for one test, removed afterwards.
class TempGraph {
 public:
  explicit TempGraph(const std::string& text)
      : path_(fs::temp_directory_path() / ("agdf_runner_test_" + std::to_string(getpid()) + "_" +
                                           std::to_string(counter_++) + ".json")) {
    std::ofstream(path_) << text;
  }
  ~TempGraph() { fs::remove(path_); }
  std::string path() const { return path_.string(); }

 private:
  static inline int counter_ = 0;
  fs::path path_;
};

TEST(OneShotRunner, AnInvalidGraphExitsTwoAndListsEveryProblem) {
  TempGraph graph(
      R"({"nodes": [{"name": "a", "function": "nope"}, {"name": "a", "function": "echo"},
                                 {"name": "b", "function": "echo", "max_tasks": 0}],
                      "edges": [["a", "ghost"], ["b", "b"]], "start_nodes": {"x": []}, "extra": 1})");
  auto r = run_to_end({kServer, "run", graph.path(), "--json"});

  EXPECT_EQ(r.exit_code, 2);
  EXPECT_TRUE(r.out.empty()) << r.out;
  for (const char* problem :
       {"graph: unknown key 'extra'", "node 'a': unknown function 'nope'",
        "node 'a': duplicate node name", "node 'b': max_tasks must be at least 1",
        "edges[0]: unknown destination node 'ghost'", "edges: cycle: b -> b",
        "start_nodes: the graph doesn't have the node 'x'"})
    EXPECT_NE(r.err.find(problem), std::string::npos) << "missing: " << problem << "\n" << r.err;
  EXPECT_NE(r.err.find("7 problems"), std::string::npos) << r.err;
}

TEST(OneShotRunner, AFileThatIsNotJsonExitsTwo) {
  TempGraph graph("{\"nodes\": [");
  auto r = run_to_end({kServer, "run", graph.path()});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_FALSE(r.err.empty());
}

TEST(OneShotRunner, AFieldPathWithAHugeIndexExitsTwoInsteadOfAborting) {
  // std::stoull threw out of validation and `agdf-server run` aborted.
  TempGraph graph(R"({"nodes": [{"name": "a", "function": "range", "config": {"stop": 2}},
                                {"name": "b", "function": "discard"}],
                      "edges": [{"from": "a", "to": "b",
                                 "when": {"field": "a[99999999999999999999]", "op": "==", "value": 1}}]})");
  auto r = run_to_end({kServer, "run", graph.path(), "--json"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("cannot parse field path 'a[99999999999999999999]'"), std::string::npos)
      << r.err;
}

TEST(OneShotRunner, ASyntaxErrorSaysLineAndColumn) {
  TempGraph graph("{\"nodes\": [\n  {\"name\": \"a\",, \"function\": \"echo\"}]}");
  auto r = run_to_end({kServer, "run", graph.path()});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("the graph is not valid JSON: line 2, column 16: syntax error"),
            std::string::npos)
      << r.err;
}

TEST(OneShotRunner, AMissingFileExitsTwo) {
  auto r = run_to_end({kServer, "run", (kExamples / "no_such_graph.json").string(), "--json"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("no_such_graph.json"), std::string::npos) << r.err;
}

TEST(OneShotRunner, WithoutJsonPrintsAReadableTable) {
  auto r = run_to_end({kServer, "run", (kExamples / "raising_exception.json").string()});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_NE(r.out.find("status: completed"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("node2"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("intentional error for hello"), std::string::npos) << r.out;
}

TEST(OneShotRunner, NodeLogLinesGoToStderrAndKeepStdoutOneJsonObject) {
  auto r = run_to_end({kServer, "run", (kExamples / "three_nodes.json").string(), "--json"});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_NE(r.err.find("Hello"), std::string::npos) << r.err;
  Json out;
  EXPECT_NO_THROW(out = Json::parse(r.out)) << r.out;
}

TEST(OneShotRunner, SigintCancelsTheRunAndExitsFour) {
  TempGraph graph(R"({"nodes": [
      {"name": "go", "function": "values", "config": {"values": ["started"]}},
      {"name": "say", "function": "print"},
      {"name": "nap", "function": "sleep", "config": {"ms": 60000}}],
      "edges": [["go", "say"]]})");
  ChildProcess child({kServer, "run", graph.path(), "--json"});
  // Once a node has logged, the run (and its signal handling) is under way.
  ASSERT_TRUE(child.wait_for_stderr("started", std::chrono::seconds(20)));
  child.send_signal(SIGINT);
  auto r = child.finish(std::chrono::seconds(20));

  ASSERT_FALSE(r.timed_out()) << "a minute-long sleep was not cut short";
  EXPECT_EQ(r.exit_code, 4);
  Json out = Json::parse(r.out);
  EXPECT_EQ(out["status"], "cancelled");
  EXPECT_EQ(out["stats"]["nap"], Json::parse(R"({"in": 0, "out": 0, "err": 0})"));
}

}  // namespace
}  // namespace agdf::test
