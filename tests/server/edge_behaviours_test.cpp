// Queue kinds, conditional edges and node policies through the real daemon: once as a
// graph file's text, once as the structured Graph message of the wire contract.
#include <gtest/gtest.h>

#include "server/daemon_fixture.hpp"

namespace agdf::testing {
namespace {

using DaemonEdgeBehaviours = DaemonTest;

/// The items `node` yielded, as JSON text, from the run's output events.
std::vector<std::string> outputs_of(const Watched& watched, const std::string& node) {
  std::vector<std::string> items;
  for (const auto& event : watched.events)
    if (event.has_output() && event.output().node() == node)
      items.push_back(event.output().item_json());
  return items;
}

TEST_F(DaemonEdgeBehaviours, BatchesZipsAndRoutesAGraphFile) {
  auto request = submission(R"({
    "nodes": [{"name": "numbers", "function": "range", "config": {"start": 1, "stop": 11}},
              {"name": "batches", "function": "echo", "queue": {"kind": "batch", "size": 4}},
              {"name": "letters", "function": "values", "config": {"values": ["a", "b", "c"]}},
              {"name": "pairs", "function": "echo", "unpack_input": false, "queue": {"kind": "zip"}},
              {"name": "big", "function": "echo"}],
    "edges": [["numbers", "batches"], ["numbers", "pairs"], ["letters", "pairs"],
              {"from": "numbers", "to": "big", "when": {"op": ">", "value": 8}}]})");
  for (const char* node : {"batches", "pairs", "big"}) request.add_capture(node);
  Watched watched = watch(stub(), submit(request));

  const auto& finished = watched.finished();
  EXPECT_EQ(finished.state(), v1::RUN_STATE_COMPLETED);
  EXPECT_EQ(outputs_of(watched, "batches"),
            (std::vector<std::string>{"[1,2,3,4]", "[5,6,7,8]", "[9,10]"}));
  EXPECT_EQ(outputs_of(watched, "pairs"),
            (std::vector<std::string>{R"({"$tuple":[1,"a"]})", R"({"$tuple":[2,"b"]})",
                                      R"({"$tuple":[3,"c"]})"}));
  EXPECT_EQ(outputs_of(watched, "big"), (std::vector<std::string>{"9", "10"}));
  for (const auto& s : finished.stats()) {
    if (s.node() == "pairs") {
      EXPECT_EQ(s.dropped(), 7u);  // 4..10 found no letter
    }
  }
}

TEST_F(DaemonEdgeBehaviours, StructuredGraphCarriesQueueKindsConditionsAndPolicies) {
  v1::SubmitRunRequest request;
  v1::Graph* graph = request.mutable_definition()->mutable_graph();
  auto* source = graph->add_nodes();
  source->set_name("source");
  source->set_function("values");
  source->set_config_json(R"({"values": ["ok", "bad", "ok"]})");
  auto* check = graph->add_nodes();
  check->set_name("check");
  check->set_function("fail_if");
  check->set_config_json(R"({"values": ["bad"]})");
  check->mutable_retry()->set_attempts(3);
  auto* preloaded = graph->add_nodes();
  preloaded->set_name("preloaded");
  preloaded->set_function("echo");
  preloaded->set_queue_json(R"({"kind": "preload", "items": ["early"]})");
  auto* edge = graph->add_edges();
  edge->set_from("source");
  edge->set_to("check");
  auto* routed = graph->add_edges();
  routed->set_from("check");
  routed->set_to("preloaded");
  routed->set_when_json(R"({"op": "==", "value": "ok"})");
  request.add_capture("preloaded");

  Watched watched = watch(stub(), submit(request));
  const auto& finished = watched.finished();
  EXPECT_EQ(counts(finished.stats(), "check"), "3/2/1");
  EXPECT_EQ(outputs_of(watched, "preloaded"),
            (std::vector<std::string>{R"("early")", R"("ok")", R"("ok")"}));
  int retries = 0;
  for (const auto& event : watched.events) retries += event.has_retry() ? 1 : 0;
  EXPECT_EQ(retries, 2);  // "bad" failed three times: two retries, then one error
}

TEST_F(DaemonEdgeBehaviours, RejectsABadQueueKindWithEveryProblem) {
  v1::ValidateGraphRequest request;
  request.mutable_definition()->set_graph_json(R"({
    "nodes": [{"name": "a", "function": "values", "config": {"values": [1]}},
              {"name": "b", "function": "echo", "queue": {"kind": "zip"}, "timeout_ms": -1}],
    "edges": [{"from": "a", "to": "b", "when": {"field": "x[", "op": "=="}}]})");
  v1::ValidateGraphResponse response;
  auto context = call_context();
  ASSERT_TRUE(stub().ValidateGraph(context.get(), request, &response).ok());
  EXPECT_FALSE(response.valid());
  std::vector<std::string> problems;
  for (const auto& p : response.problems()) problems.push_back(p.where() + ": " + p.message());
  EXPECT_EQ(problems, (std::vector<std::string>{
                          "node 'b': timeout_ms must be >= 0",
                          "edges[0]: when: cannot parse field path 'x['",
                          "edges[0]: when: op '==' needs a value",
                          "node 'b': queue kind 'zip' needs at least two source nodes, 'b' has 1",
                      }));
}

}  // namespace
}  // namespace agdf::testing
