// The `agdf` binary against a real agdf-server: the verbs that do not run graphs.
#include <algorithm>

#include "client/cli_fixture.hpp"

namespace agdf::client::testing {
namespace {

TEST(AgdfFunctions, ListsEveryFunctionWithParamsAndConfigAsJsonLines) {
  const auto result = agdf({"--json", "functions"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  const auto functions = json_lines(result);
  auto sleep = std::find_if(functions.begin(), functions.end(),
                            [](const json& f) { return f.at("name") == "sleep"; });
  ASSERT_NE(sleep, functions.end()) << result.out;
  EXPECT_FALSE(sleep->at("description").get<std::string>().empty());
  EXPECT_EQ(sleep->at("params"), json::parse(R"([{"name": "item", "default": null}])"));
  ASSERT_FALSE(sleep->at("config").empty());
  EXPECT_EQ(sleep->at("config")[0].at("name"), "ms");
}

TEST(AgdfFunctions, PrintsSignaturesAsText) {
  const auto result = agdf({"functions"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_NE(result.out.find("sleep(item=null)\n"), std::string::npos) << result.out;
  EXPECT_NE(result.out.find("config.ms"), std::string::npos) << result.out;
}

TEST(AgdfValidate, AcceptsAnExampleGraph) {
  const auto result = agdf({"--json", "validate", example("halt_at_node.json")});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  const auto lines = json_lines(result);
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_EQ(lines[0].at("valid"), true);
  EXPECT_EQ(lines[0].at("problems"), json::array());
}

TEST(AgdfValidate, ListsEveryProblemAndExitsTwo) {
  TempGraph graph(R"({"nodes": [{"name": "a", "function": "no_such_function"},
                                {"name": "b", "function": "print", "max_tasks": 0}],
                      "edges": [["a", "b"], ["b", "ghost"]]})");
  const auto result = agdf({"--json", "validate", graph.path()});
  EXPECT_EQ(result.exit_code, 2) << result.err;
  const auto lines = json_lines(result);
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_EQ(lines[0].at("valid"), false);
  const std::string problems = lines[0].at("problems").dump();
  EXPECT_GE(lines[0].at("problems").size(), 3u) << problems;
  EXPECT_NE(problems.find("no_such_function"), std::string::npos) << problems;
  EXPECT_NE(problems.find("ghost"), std::string::npos) << problems;

  const auto text = agdf({"validate", graph.path()});
  EXPECT_EQ(text.exit_code, 2);
  EXPECT_NE(text.out.find("no_such_function"), std::string::npos) << text.out;
}

TEST(AgdfValidate, ExitsTwoWhenTheFileCannotBeRead) {
  const auto result = agdf({"validate", "/nonexistent/graph.json"});
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_NE(result.err.find("cannot read the graph file /nonexistent/graph.json"),
            std::string::npos)
      << result.err;
}

TEST(AgdfHealth, SaysServingAndExitsZero) {
  const auto result = agdf({"health"});
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(result.out, "SERVING\n");
  const auto json_result = agdf({"--json", "health"});
  ASSERT_EQ(json_result.exit_code, 0);
  EXPECT_EQ(json_lines(json_result).at(0).at("status"), "SERVING");
}

TEST(AgdfStatus, AnUnknownRunIsRefusedWithExitSeven) {
  const auto status = agdf({"status", "no-such-run"});
  EXPECT_EQ(status.exit_code, 7) << status.err;
  EXPECT_NE(status.err.find("no-such-run"), std::string::npos) << status.err;
  EXPECT_EQ(agdf({"watch", "no-such-run"}).exit_code, 7);
  EXPECT_EQ(agdf({"cancel", "no-such-run"}).exit_code, 7);
}

TEST(AgdfUnreachable, ExitsSixWithOneLineNamingTheAddress) {
  const std::string address = "127.0.0.1:" + std::to_string(unused_port());
  for (const auto& verb :
       std::vector<std::vector<std::string>>{{"functions"},
                                             {"health"},
                                             {"runs"},
                                             {"status", "r1"},
                                             {"run", example("no_edges.json")},
                                             {"validate", example("no_edges.json")}}) {
    std::vector<std::string> args{"--server", address};
    args.insert(args.end(), verb.begin(), verb.end());
    const auto result = agdf_raw(args);
    EXPECT_EQ(result.exit_code, 6) << verb[0] << ": " << result.err;
    EXPECT_TRUE(result.err.starts_with("agdf: cannot reach agdf-server at " + address + ": "))
        << result.err;
    EXPECT_EQ(std::count(result.err.begin(), result.err.end(), '\n'), 1) << result.err;
    EXPECT_EQ(result.out, "");
  }
}

TEST(AgdfUnreachable, TakesTheAddressFromTheEnvironment) {
  const std::string address = "127.0.0.1:" + std::to_string(unused_port());
  const auto result = agdf_raw({"health"}, {.env = {{"AGDF_SERVER", address}}});
  EXPECT_EQ(result.exit_code, 6);
  EXPECT_TRUE(result.err.starts_with("agdf: cannot reach agdf-server at " + address + ": "))
      << result.err;
}

TEST(AgdfUsage, BadCommandLinesExitSixtyFour) {
  EXPECT_EQ(agdf_raw({}).exit_code, 64);
  EXPECT_EQ(agdf_raw({"frobnicate"}).exit_code, 64);
  EXPECT_EQ(agdf_raw({"run"}).exit_code, 64);
  EXPECT_EQ(agdf_raw({"run", example("no_edges.json"), "--start", "node1=notjson"}).exit_code, 64);
  EXPECT_EQ(agdf_raw({"run", example("no_edges.json"), "--label", "novalue"}).exit_code, 64);
  EXPECT_EQ(agdf_raw({"runs", "--state", "sleeping"}).exit_code, 64);
  EXPECT_EQ(agdf_raw({"graph", example("no_edges.json"), "--format", "png"}).exit_code, 64);
}

TEST(AgdfGraph, DrawsAFileWithoutADaemon) {
  const std::string nowhere = "127.0.0.1:" + std::to_string(unused_port());
  const auto mermaid = agdf_raw({"--server", nowhere, "graph", example("halt_at_node.json")});
  ASSERT_EQ(mermaid.exit_code, 0) << mermaid.err;
  EXPECT_EQ(
      mermaid.out,
      "flowchart LR\n"
      "    A[\"extract<br/>values \u00b7 fifo\"] --> B[\"transform<br/>title_case \u00b7 fifo\"]\n"
      "    B --> C[\"load<br/>fail_if \u00b7 fifo\"]\n"
      "    C --> D[\"output<br/>print \u00b7 fifo\"]\n");
  const auto plain = agdf_raw({"graph", example("halt_at_node.json"), "--plain"});
  EXPECT_EQ(plain.out,
            "flowchart LR\n"
            "    A[extract] --> B[transform]\n"
            "    B --> C[load]\n"
            "    C --> D[output]\n");
  const auto dot = agdf_raw({"graph", example("halt_at_node.json"), "--format", "dot"});
  ASSERT_EQ(dot.exit_code, 0) << dot.err;
  EXPECT_TRUE(dot.out.starts_with("digraph agdf {\n")) << dot.out;
  EXPECT_NE(dot.out.find("    \"load\" -> \"output\";\n"), std::string::npos) << dot.out;
}

TEST(AgdfGraph, ShowsConditionsAndQueueKindsReadably) {
  const auto routing = agdf_raw({"graph", example("routing.json")});
  ASSERT_EQ(routing.exit_code, 0) << routing.err;
  EXPECT_NE(routing.out.find("-->|\"state == #quot;California#quot;\"|"), std::string::npos)
      << routing.out;
  const auto batching = agdf_raw({"graph", example("batching.json"), "--format", "dot"});
  EXPECT_NE(batching.out.find("batch size=4"), std::string::npos) << batching.out;
}

TEST(AgdfGraph, SvgIsDrawnByGraphvizWhenItIsInstalled) {
  // scripts/setup.sh installs Graphviz, so `dot` is on PATH here.
  const auto svg = agdf_raw({"graph", example("routing.json"), "--format", "svg"});
  ASSERT_EQ(svg.exit_code, 0) << svg.err;
  EXPECT_NE(svg.out.find("<svg"), std::string::npos);
  EXPECT_NE(svg.out.find("state == &quot;California&quot;"), std::string::npos) << svg.out;
  EXPECT_NE(svg.out.find("values \u00b7 fifo"), std::string::npos);
}

TEST(AgdfGraph, SvgSaysClearlyWhenGraphvizIsMissing) {
  const auto dir = std::filesystem::temp_directory_path() / "agdf-no-graphviz";
  std::filesystem::create_directories(dir);
  const auto svg = agdf_raw({"graph", example("routing.json"), "--format", "svg"},
                            {.env = {{"PATH", dir.string()}}});
  EXPECT_EQ(svg.exit_code, 69);
  EXPECT_TRUE(svg.out.empty());
  EXPECT_NE(svg.err.find("needs Graphviz's `dot`, which is not installed"), std::string::npos)
      << svg.err;
}

TEST(AgdfGraph, ExitsTwoForAFileItCannotDraw) {
  TempGraph graph(R"({"nodes": [{"name": "a", "function": "print"}], "edges": [["a", "b"]]})");
  const auto result = agdf_raw({"graph", graph.path()});
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_NE(result.err.find("edges[0]: unknown node 'b'"), std::string::npos) << result.err;
}

}  // namespace
}  // namespace agdf::client::testing
