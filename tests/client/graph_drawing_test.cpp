#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "agdf/client/graph_drawing.hpp"

namespace agdf::client {
namespace {

constexpr const char* kLinear = R"({
  "nodes": [
    {"name": "extract", "function": "values"},
    {"name": "transform", "function": "title_case"},
    {"name": "load", "function": "load"}
  ],
  "edges": [["extract", "transform"], ["transform", "load"]]
})";

GraphOutline outline_of(const char* text) {
  auto result = read_graph_outline(text);
  EXPECT_TRUE(result.problems.empty()) << result.problems.front();
  return result.outline;
}

TEST(GraphDrawing, MermaidLabelsEachNodeWhereItFirstAppearsLikeTheReferenceDocs) {
  EXPECT_EQ(draw_mermaid(outline_of(kLinear)),
            "flowchart LR\n"
            "    A[extract] --> B[transform]\n"
            "    B --> C[load]\n");
}

TEST(GraphDrawing, MermaidDrawsFanOutAndFanInWithTheReferenceIds) {
  // The reference's technical notes: func1 -> func2 -> (func3, func4) -> func5.
  const char* text =
      R"({"nodes": [{"name": "func1", "function": "f"}, {"name": "func2", "function": "f"},
    {"name": "func3", "function": "f"}, {"name": "func4", "function": "f"},
    {"name": "func5", "function": "f"}],
    "edges": [["func1", "func2"], ["func2", "func3"], ["func2", "func4"], ["func3", "func5"],
              ["func4", "func5"]]})";
  EXPECT_EQ(draw_mermaid(outline_of(text)),
            "flowchart LR\n"
            "    A[func1] --> B[func2]\n"
            "    B --> C[func3]\n"
            "    B --> D[func4]\n"
            "    C --> E[func5]\n"
            "    D --> E\n");
}

TEST(GraphDrawing, MermaidGivesNodesWithoutEdgesALineOfTheirOwn) {
  const char* text =
      R"({"nodes": [{"name": "a", "function": "sleep"}, {"name": "b", "function": "sleep"}],
                         "edges": []})";
  EXPECT_EQ(draw_mermaid(outline_of(text)), "flowchart LR\n    A[a]\n    B[b]\n");
}

TEST(GraphDrawing, MermaidQuotesLabelsWithSpecialCharactersAndCanShowFunctions) {
  const char* text =
      R"({"nodes": [{"name": "say \"hi\"", "function": "print"}, {"name": "load", "function": "load"}],
                         "edges": [["say \"hi\"", "load"]]})";
  EXPECT_EQ(draw_mermaid(outline_of(text), {.with_functions = true}),
            "flowchart LR\n    A[\"say #quot;hi#quot; (print)\"] --> B[load]\n");
}

TEST(GraphDrawing, MermaidIdsGoOnPastZ) {
  nlohmann::json nodes = nlohmann::json::array();
  for (int i = 0; i < 28; ++i) {
    std::string name = "n";
    name += std::to_string(i);
    nodes.push_back({{"name", name}, {"function", "f"}});
  }
  std::string text = nlohmann::json{{"nodes", nodes}}.dump();
  const std::string drawing = draw_mermaid(outline_of(text.c_str()));
  EXPECT_NE(drawing.find("    Z[n25]\n    AA[n26]\n    AB[n27]\n"), std::string::npos) << drawing;
}

TEST(GraphDrawing, DotDrawsADigraphLeftToRightWithFunctionLabels) {
  EXPECT_EQ(draw_dot(outline_of(kLinear), {.with_functions = true}),
            "digraph agdf {\n"
            "    rankdir=LR;\n"
            "    node [shape=box];\n"
            "    \"extract\" [label=\"extract (values)\"];\n"
            "    \"transform\" [label=\"transform (title_case)\"];\n"
            "    \"load\";\n"
            "    \"extract\" -> \"transform\";\n"
            "    \"transform\" -> \"load\";\n"
            "}\n");
}

TEST(GraphDrawing, DotEscapesQuotesAndBackslashes) {
  const char* text = R"({"nodes": [{"name": "a\"b\\c", "function": "f"}]})";
  EXPECT_NE(draw_dot(outline_of(text)).find(R"("a\"b\\c";)"), std::string::npos);
}

TEST(GraphDrawing, ConditionalEdgesCarryTheirConditionAsALabel) {
  const char* text = R"({"nodes": [{"name": "a", "function": "f"}, {"name": "b", "function": "f"}],
    "edges": [{"from": "a", "to": "b", "when": {"field": "n", "op": ">", "value": 1}}]})";
  EXPECT_EQ(draw_mermaid(outline_of(text)), "flowchart LR\n    A[a] -->|\"n #gt; 1\"| B[b]\n");
  EXPECT_NE(draw_dot(outline_of(text)).find(R"("a" -> "b" [label="n > 1"];)"), std::string::npos);
}

TEST(GraphDrawing, FullLabelsShowTheFunctionAndQueueKindOnASecondLine) {
  const char* text = R"({"nodes": [{"name": "a", "function": "range"},
    {"name": "b", "function": "print", "queue": {"kind": "batch", "size": 4}}],
    "edges": [["a", "b"]]})";
  EXPECT_EQ(draw_mermaid(outline_of(text), {.full_labels = true}),
            "flowchart LR\n    A[\"a<br/>range \u00b7 fifo\"] --> B[\"b<br/>print \u00b7 batch "
            "size=4\"]\n");
  EXPECT_NE(draw_dot(outline_of(text), {.full_labels = true})
                .find("\"b\" [label=\"b\\nprint \u00b7 batch size=4\"];"),
            std::string::npos);
}

TEST(GraphOutline, ReportsEveryProblemAtOnce) {
  const char* text =
      R"({"nodes": [{"name": "a", "function": "f"}, {"function": "f"}, {"name": "a"}],
                         "edges": [["a", "x"], ["a"]]})";
  const auto result = read_graph_outline(text);
  ASSERT_EQ(result.problems.size(), 4u);
  EXPECT_EQ(result.problems[0], "nodes[1]: a node must be an object with a string 'name'");
  EXPECT_EQ(result.problems[1], "nodes[2]: duplicate node name 'a'");
  EXPECT_EQ(result.problems[2], "edges[0]: unknown node 'x'");
  EXPECT_EQ(result.problems[3],
            "edges[1]: an edge must be a [source, destination] pair of node names, or "
            "{\"from\", \"to\", \"when\"}");
}

TEST(GraphOutline, RejectsTextThatIsNotAGraph) {
  EXPECT_EQ(read_graph_outline("{").problems,
            std::vector<std::string>{"the graph is not valid JSON"});
  EXPECT_EQ(read_graph_outline("[]").problems,
            std::vector<std::string>{"a graph must be a JSON object with a 'nodes' array"});
}

}  // namespace
}  // namespace agdf::client
