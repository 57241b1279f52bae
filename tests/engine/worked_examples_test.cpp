// The two worked examples of SEMANTICS.md, with their exact counts.
#include <gtest/gtest.h>

#include "engine/run_harness.hpp"

namespace agdf::test {
namespace {

using engine::NodeStats;
using engine::RunStatus;

TEST(WorkedExample, LinearExtractTransformLoadCountsEveryHop) {
  auto run = run_graph(R"({
    "nodes": [{"name": "extract", "function": "values", "config": {"values": ["hello", "world"]}},
              {"name": "transform", "function": "title_case"},
              {"name": "load", "function": "print"}],
    "edges": [["extract", "transform"], ["transform", "load"]]})");

  EXPECT_EQ(run.status(), RunStatus::completed);
  EXPECT_EQ(run.stats("extract"), (NodeStats{.in = 0, .out = 2, .err = 0}));
  EXPECT_EQ(run.stats("transform"), (NodeStats{.in = 2, .out = 2, .err = 0}));
  EXPECT_EQ(run.stats("load"), (NodeStats{.in = 2, .out = 2, .err = 0}));
  EXPECT_EQ(run.logs_of("load"), (std::vector<std::string>{"Hello", "World"}));
}

// extract yields data1..data5, transform title-cases, load raises for Data3 and Data5.
// load waits a little per item so output has handled what load yielded before the error.
constexpr const char* kHaltingGraph = R"({
  "nodes": [
    {"name": "extract", "function": "values",
     "config": {"values": ["data1", "data2", "data3", "data4", "data5"]}},
    {"name": "transform", "function": "title_case"},
    {"name": "load", "function": "fail_if", "halt_on_exception": HALT,
     "config": {"values": ["Data3", "Data5"], "delay_ms": 20}},
    {"name": "output", "function": "print"}],
  "edges": [["extract", "transform"], ["transform", "load"], ["load", "output"]]})";

std::string halting_graph(bool halt) {
  std::string graph = kHaltingGraph;
  graph.replace(graph.find("HALT"), 4, halt ? "true" : "false");
  return graph;
}

TEST(WorkedExample, HaltOnExceptionStopsAtTheFirstErrorOfLoad) {
  auto run = run_graph(halting_graph(true));

  EXPECT_EQ(run.status(), RunStatus::halted);
  EXPECT_EQ(run.stats("extract"), (NodeStats{.in = 0, .out = 5, .err = 0}));
  EXPECT_EQ(run.stats("transform"), (NodeStats{.in = 5, .out = 5, .err = 0}));
  EXPECT_EQ(run.stats("load"), (NodeStats{.in = 5, .out = 2, .err = 1}));
  EXPECT_EQ(run.stats("output"), (NodeStats{.in = 2, .out = 2, .err = 0}));
  ASSERT_EQ(run.node("load").errors.size(), 1u);
  EXPECT_EQ(run.node("load").errors[0].message, "intentional error for Data3");
}

TEST(WorkedExample, WithoutHaltingEveryItemIsProcessed) {
  auto run = run_graph(halting_graph(false));

  EXPECT_EQ(run.status(), RunStatus::completed);
  EXPECT_EQ(run.stats("extract"), (NodeStats{.in = 0, .out = 5, .err = 0}));
  EXPECT_EQ(run.stats("transform"), (NodeStats{.in = 5, .out = 5, .err = 0}));
  EXPECT_EQ(run.stats("load"), (NodeStats{.in = 5, .out = 3, .err = 2}));
  EXPECT_EQ(run.stats("output"), (NodeStats{.in = 3, .out = 3, .err = 0}));
  ASSERT_EQ(run.node("load").errors.size(), 2u);
  EXPECT_EQ(run.node("load").errors[0].type, "ValueError");
  EXPECT_EQ(run.node("load").errors[0].message, "intentional error for Data3");
  EXPECT_EQ(run.node("load").errors[1].message, "intentional error for Data5");
  EXPECT_EQ(run.logs_of("output"), (std::vector<std::string>{"Data1", "Data2", "Data4"}));
}

}  // namespace
}  // namespace agdf::test
