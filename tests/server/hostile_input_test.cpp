// Issue 9's defects, each through the real daemon: the hostile request gets a clear
// INVALID_ARGUMENT (or NOT_FOUND), never a crash, and afterwards the daemon still answers
// health and completes a normal run.
#include <signal.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "server/hostile_client.hpp"

namespace agdf::testing {
namespace {

namespace fs = std::filesystem;

class DaemonHostileInput : public DaemonTest {
 protected:
  // The operator's limits (--max-nodes, --max-graph-bytes, ...) raised to the format's fixed
  // bounds, so that what these requests reach is the bound itself; limits_and_bounds_test
  // checks the two together at the defaults.
  void SetUp() override { start_at_the_bounds(); }
  void start_at_the_bounds(std::vector<std::string> args = {}) {
    args.insert(args.end(), {"--max-nodes", "10000", "--max-graph-bytes", "67108864",
                             "--max-message-bytes", "67108864", "--max-tasks-per-run", "100000000",
                             "--max-queue-size-per-run", "10000000000"});
    start_daemon(args);
  }

  /// Submits `request` with SubmitRun and with SubmitAndWatch (the same request, the same
  /// checks), expects `code` from both with a message containing `text`, then checks the
  /// daemon still serves.
  void expect_refused(const v1::SubmitRunRequest& request, const std::string& text,
                      grpc::StatusCode code = grpc::StatusCode::INVALID_ARGUMENT) {
    for (const grpc::Status& status :
         {submit_status(stub(), request), submit_and_watch_status(stub(), request)}) {
      EXPECT_EQ(status.error_code(), code) << status.error_message();
      EXPECT_NE(status.error_message().find(text), std::string::npos) << status.error_message();
      EXPECT_LE(status.error_message().size(), 4096u);
    }
    expect_still_serving(daemon(), stub());
  }
  void expect_refused(const std::string& graph_json, const std::string& text) {
    expect_refused(submission(graph_json), text);
  }
};

std::string nested_not(int depth) {
  std::string text = R"({"field": "x", "op": "exists"})";
  std::string open, close;
  for (int i = 0; i < depth; ++i) open += R"({"not": )", close += "}";
  return open + text + close;
}

std::string nested_arrays(int depth) {
  return std::string(depth, '[') + std::string(depth, ']');
}

std::string two_nodes_with_edge_when(const std::string& when) {
  return R"({"nodes": [{"name": "a", "function": "range", "config": {"stop": 2}},
                       {"name": "b", "function": "discard"}],
             "edges": [{"from": "a", "to": "b", "when": )" +
         when + "}]}";
}

TEST_F(DaemonHostileInput, HugeMaxTasksIsRefusedNotAllocated) {
  for (const char* tasks : {"2147483648", "9223372036854775807", "18446744073709551615"})
    expect_refused(R"({"nodes": [{"name": "a", "function": "discard", "max_tasks": )" +
                       std::string(tasks) + "}]}",
                   "node 'a': max_tasks must be at most 100000");
  v1::Graph graph;
  add_node(graph, "a", "discard")->set_max_tasks(std::int64_t{1} << 62);
  expect_refused(structured(graph), "node 'a': max_tasks must be at most 100000");
}

TEST_F(DaemonHostileInput, AConditionNested20000DeepIsRefused) {
  expect_refused(two_nodes_with_edge_when(nested_not(20'000)),
                 "nested deeper than 100 levels of arrays and objects");
  v1::Graph graph;
  add_node(graph, "a", "range", R"({"stop": 2})");
  add_node(graph, "b", "discard");
  v1::Edge* edge = graph.add_edges();
  edge->set_from("a");
  edge->set_to("b");
  edge->set_when_json(nested_not(20'000));
  expect_refused(structured(graph), "edges[0]: when_json is not valid JSON: line 1, column");
}

TEST_F(DaemonHostileInput, ConfigQueueAndArgumentsNested100000DeepAreRefused) {
  const std::string deep = nested_arrays(100'000);
  expect_refused(
      R"({"nodes": [{"name": "a", "function": "values", "config": {"values": )" + deep + "}}]}",
      "nested deeper than 100 levels");
  expect_refused(R"({"nodes": [{"name": "a", "function": "discard",
                                "queue": {"kind": "preload", "items": )" +
                     deep + "}}]}",
                 "nested deeper than 100 levels");

  v1::Graph graph;
  add_node(graph, "a", "values", R"({"values": )" + deep + "}");
  add_node(graph, "b", "discard")->set_queue_json(R"({"kind": "preload", "items": )" + deep + "}");
  v1::StartNode* start = graph.add_start_nodes();
  start->set_node("a");
  start->set_args_json(deep);
  v1::SubmitRunRequest request = structured(graph);
  grpc::Status status = submit_status(stub(), request);
  ASSERT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_NE(status.error_message().find("node 'a': config_json is not valid JSON: line 1, column"),
            std::string::npos)
      << status.error_message();
  EXPECT_NE(status.error_message().find("node 'b': queue_json is not valid JSON"),
            std::string::npos);
  EXPECT_NE(status.error_message().find("start_nodes[0]: args_json is not valid JSON"),
            std::string::npos);
  expect_still_serving(daemon(), stub());
}

/// A short name for node `i` (base 36), so 130,000 of them fit in a 4 MB message.
std::string short_name(int i) {
  std::string name;
  do name += "0123456789abcdefghijklmnopqrstuvwxyz"[i % 36];
  while ((i /= 36) > 0);
  return name;
}

TEST_F(DaemonHostileInput, AStructuredChainOf130000NodesIsRefusedByTheNodeBound) {
  v1::Graph graph;
  const int n = 130'000;
  for (int i = 0; i < n; ++i) add_node(graph, short_name(i), "echo");
  for (int i = 0; i + 1 < n; ++i) {
    v1::Edge* edge = graph.add_edges();
    edge->set_from(short_name(i));
    edge->set_to(short_name(i + 1));
  }
  expect_refused(structured(graph), "graph: the graph has 130000 nodes; at most 10000");

  v1::ValidateGraphResponse response;
  ASSERT_TRUE(validate_status(stub(), structured(graph).definition(), &response).ok());
  EXPECT_FALSE(response.valid());
  expect_still_serving(daemon(), stub());
}

TEST_F(DaemonHostileInput, AChainAsLongAsAllowedClosingACycleIsFoundIteratively) {
  v1::Graph graph;
  const int n = 10'000;
  for (int i = 0; i < n; ++i) add_node(graph, std::to_string(i), "echo");
  for (int i = 0; i < n; ++i) {
    v1::Edge* edge = graph.add_edges();
    edge->set_from(std::to_string(i));
    edge->set_to(std::to_string((i + 1) % n));
  }
  graph.add_start_nodes()->set_node("0");
  expect_refused(structured(graph),
                 "edges: cycle: 0 -> 1 -> 2 -> 3 -> 4 -> ... -> 9996 -> 9997 -> 9998 -> 9999 -> 0 "
                 "(10000 nodes)");
}

TEST_F(DaemonHostileInput, AFieldPathWithAHugeIndexIsAProblemNotInternal) {
  const std::string when = R"({"field": "a[99999999999999999999]", "op": "==", "value": 1})";
  expect_refused(two_nodes_with_edge_when(when),
                 "cannot parse field path 'a[99999999999999999999]'");
  expect_refused(R"({"nodes": [{"name": "f", "function": "filter", "config": )" + when + "}]}",
                 "cannot parse field path");
}

TEST_F(DaemonHostileInput, ARangeNearTheTopOfInt64YieldsOneItem) {
  v1::SubmitRunRequest request = submission(R"({"nodes": [{"name": "r", "function": "range",
      "config": {"start": 9223372036854775806, "stop": 9223372036854775807, "step": 1073741824}}]})");
  request.add_capture("r");
  std::string id;
  ASSERT_TRUE(submit_status(stub(), request, &id).ok());
  Watched watched = watch(stub(), id);
  EXPECT_EQ(watched.finished().state(), v1::RUN_STATE_COMPLETED);
  EXPECT_EQ(counts(watched.finished().stats(), "r"), "0/1/0");
  std::vector<std::string> items;
  for (const auto& event : watched.events)
    if (event.has_output()) items.push_back(event.output().item_json());
  EXPECT_EQ(items, std::vector<std::string>{"9223372036854775806"});
}

TEST_F(DaemonHostileInput, MillisecondsPastThirtyDaysAreRefusedAndThirtyDaysDoesNotTimeOutAtOnce) {
  expect_refused(R"({"nodes": [{"name": "s", "function": "sleep", "config": {"ms": 50},
                                "timeout_ms": 10000000000000}]})",
                 "node 's': timeout_ms must be at most 2592000000 (30 days)");
  expect_refused(
      R"({"nodes": [{"name": "s", "function": "sleep", "config": {"ms": 9223372036854775807}}]})",
      "config.ms must be at most 2592000000 (30 days)");
  expect_refused(R"({"nodes": [{"name": "s", "function": "fail_if", "config": {"values": [null]},
                                "retry": {"attempts": 2, "backoff_ms": 9223372036854775807}}]})",
                 "retry.backoff_ms must be at most 2592000000 (30 days)");
  expect_refused(R"({"nodes": [{"name": "s", "function": "discard",
                                "queue": {"kind": "batch", "size": 2, "max_wait_ms": 9223372036854775807}}]})",
                 "queue.max_wait_ms must be at most 2592000000 (30 days)");
  v1::SubmitRunRequest stats = submission(range_to_discard(1));
  stats.set_stats_interval_ms(4'000'000'000u);
  expect_refused(stats, "stats_interval_ms must be at most 2592000000 (30 days)");

  // The largest timeout allowed: a 50 ms sleep finishes, it is not a TimeoutError.
  std::string id;
  ASSERT_TRUE(submit_status(stub(), submission(R"({"nodes": [{"name": "s", "function": "sleep",
                                "config": {"ms": 50}, "timeout_ms": 2592000000}]})"),
                            &id)
                  .ok());
  Watched watched = watch(stub(), id);
  EXPECT_EQ(watched.finished().state(), v1::RUN_STATE_COMPLETED);
  EXPECT_EQ(counts(watched.finished().stats(), "s"), "0/1/0");
}

TEST_F(DaemonHostileInput, APathWithANulByteIsRefusedAndNoFileIsWritten) {
  const fs::path data = fs::temp_directory_path() / ("agdf-hostile-" + std::to_string(::getpid()));
  fs::remove_all(data);
  fs::create_directories(data);
  start_at_the_bounds({"--data-dir", data.string()});
  expect_refused(
      R"({"nodes": [{"name": "v", "function": "values", "config": {"values": [{"a": 1}]}},
                               {"name": "w", "function": "csv.write", "config": {"path": "a\u0000b"}}],
                     "edges": [["v", "w"]]})",
      "node 'w': config.path 'a");
  EXPECT_TRUE(fs::is_empty(data));
  fs::remove_all(data);
}

TEST_F(DaemonHostileInput, HugeNamesAndRunIdsGetTheirOwnStatusNotAMetadataOverflow) {
  const std::string name(100'000, 'n');
  expect_refused(R"({"nodes": [{"name": ")" + name + R"(", "function": "nope"}]})",
                 "the node name is 100000 bytes long; at most 256");
  v1::Graph graph;
  add_node(graph, name, "discard");
  graph.add_start_nodes()->set_node(std::string(200'000, 's'));
  expect_refused(structured(graph), "the graph doesn't have the node 'sss");

  // Many problems, each quoting a long value: the status lists some and counts the rest.
  v1::Graph many;
  for (int i = 0; i < 2000; ++i)
    add_node(many, std::to_string(i) + std::string(200, 'x'), std::string(1000, 'f'));
  grpc::Status status = submit_status(stub(), structured(many));
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_NE(status.error_message().find("more"), std::string::npos);
  EXPECT_LE(status.error_message().size(), 4096u);

  for (const std::size_t size : {std::size_t{1} << 20, std::size_t{100'000}}) {
    auto context = call_context();
    v1::GetRunRequest request;
    request.set_run_id(std::string(size, 'r'));
    v1::RunInfo info;
    grpc::Status found = stub().GetRun(context.get(), request, &info);
    EXPECT_EQ(found.error_code(), grpc::StatusCode::NOT_FOUND) << found.error_message();
    EXPECT_LE(found.error_message().size(), 200u);
    auto cancel_context = call_context();
    v1::CancelRunRequest cancel;
    cancel.set_run_id(std::string(size, 'r'));
    v1::CancelRunResponse cancelled;
    EXPECT_EQ(stub().CancelRun(cancel_context.get(), cancel, &cancelled).error_code(),
              grpc::StatusCode::NOT_FOUND);
  }
  expect_still_serving(daemon(), stub());
}

TEST_F(DaemonHostileInput, ValidateGraphListsAtMostAThousandProblems) {
  v1::Graph many;
  for (int i = 0; i < 5000; ++i) add_node(many, std::to_string(i), "nope");
  v1::ValidateGraphResponse response;
  ASSERT_TRUE(validate_status(stub(), structured(many).definition(), &response).ok());
  EXPECT_FALSE(response.valid());
  ASSERT_EQ(response.problems_size(), 1001);
  EXPECT_EQ(response.problems(1000).message(), "... and 4000 more problems");
}

TEST_F(DaemonHostileInput, InvalidUtf8InAJsonFieldNamesTheFieldAndByteOffset) {
  expect_refused(submission("{\"nodes\": [\xff]}"),
                 "graph_json: the graph is not valid JSON: line 1, column 12: not valid UTF-8 at "
                 "byte 11");
  v1::Graph graph;
  add_node(graph, "a", "values", "{\"values\": [\"ok\xc3\"]}");
  expect_refused(structured(graph),
                 "node 'a': config_json is not valid JSON: line 1, column 16: not valid UTF-8 at "
                 "byte 15");

  v1::ValidateGraphResponse response;
  v1::GraphDefinition definition;
  definition.set_graph_json("\xc0\xaf");
  ASSERT_TRUE(validate_status(stub(), definition, &response).ok());
  EXPECT_FALSE(response.valid());
  ASSERT_EQ(response.problems_size(), 1);
  EXPECT_EQ(response.problems(0).where(), "graph_json");
  EXPECT_NE(response.problems(0).message().find("not valid UTF-8 at byte 0"), std::string::npos);
  expect_still_serving(daemon(), stub());
}

TEST_F(DaemonHostileInput, JsonSyntaxErrorsGiveLineColumnAndWhatWasExpected) {
  grpc::Status status = submit_status(
      stub(), submission("{\"nodes\": [\n  {\"name\": \"a\", \"function\": \"discard\"]}"));
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_NE(status.error_message().find("graph_json: the graph is not valid JSON: line 2, column "),
            std::string::npos)
      << status.error_message();
  EXPECT_NE(status.error_message().find("expected '}'"), std::string::npos)
      << status.error_message();
}

TEST_F(DaemonHostileInput, HealthAnswersForTheServiceNameAsForTheServer) {
  EXPECT_EQ(health_of(daemon(), "agdf.v1.Agdf"), 1);
  EXPECT_EQ(health_of(daemon(), ""), 1);
  EXPECT_EQ(health_of(daemon(), "no.such.Service"), -grpc::StatusCode::NOT_FOUND);
}

TEST_F(DaemonHostileInput, MeaninglessConditionsTemplatesAndStartNodesAreRefused) {
  expect_refused(two_nodes_with_edge_when(R"({"field": "x", "op": "exists", "value": false})"),
                 "op 'exists' takes no value");
  expect_refused(R"({"nodes": [{"name": "t", "function": "template",
                                "config": {"params": ["greeting"], "template": "{greeting}, {name}!"}}]})",
                 "config.template has the placeholder {name}, which is not one of config.params");
  expect_refused(R"({"nodes": [{"name": "a", "function": "discard"}],
                     "start_nodes": {"a": [1], "a": [2]}})",
                 "duplicate key 'a' in one object");

  v1::Graph graph;
  add_node(graph, "a", "discard");
  for (int i = 0; i < 2; ++i) graph.add_start_nodes()->set_node("a");
  expect_refused(structured(graph), "start_nodes: the node 'a' is named twice");

  v1::SubmitRunRequest request = submission(R"({"nodes": [{"name": "a", "function": "discard"}]})");
  for (int i = 0; i < 2; ++i) request.add_start_nodes()->set_node("a");
  expect_refused(request, "start_nodes: the node 'a' is named twice");
}

TEST_F(DaemonHostileInput, LabelsAreBoundedInNumberAndSize) {
  // Labels are stored with the run and repeated in every GetRun and ListRuns answer.
  v1::SubmitRunRequest many = submission(range_to_discard(1));
  for (int i = 0; i < 65; ++i) (*many.mutable_labels())[std::to_string(i)] = "v";
  expect_refused(many, "labels: 65 labels; at most 64");

  v1::SubmitRunRequest long_key = submission(range_to_discard(1));
  (*long_key.mutable_labels())[std::string(100'000, 'k')] = "v";
  expect_refused(long_key, "labels: the key 'kkkk");
  expect_refused(long_key, "... (100000 bytes)' is 100000 bytes long; at most 256");

  v1::SubmitRunRequest long_value = submission(range_to_discard(1));
  (*long_value.mutable_labels())["team"] = std::string(1025, 'v');
  expect_refused(long_value, "labels: the value of 'team' is 1025 bytes long; at most 1024");

  v1::SubmitRunRequest at_the_bounds = submission(range_to_discard(1));
  for (int i = 0; i < 64; ++i)
    (*at_the_bounds.mutable_labels())[std::to_string(i) + std::string(250, 'k')] =
        std::string(1024, 'v');
  std::string id;
  ASSERT_TRUE(submit_status(stub(), at_the_bounds, &id).ok());
  EXPECT_EQ(watch(stub(), id).finished().state(), v1::RUN_STATE_COMPLETED);
}

TEST(DaemonShutdownLog, EachQueuedRunCancelledAtShutdownIsLoggedAsFinished) {
  const std::string log_path =
      (fs::temp_directory_path() / ("agdf-shutdown-log-" + std::to_string(::getpid()))).string();
  std::string queued_id;
  {
    DaemonProcess daemon(AGDF_SERVER_BIN,
                         {"--log-level", "info", "--max-runs", "1", "--grace-period", "0"},
                         log_path);
    auto stub = daemon.stub();
    std::string running_id;
    ASSERT_TRUE(submit_status(*stub, submission(sleeps_a_minute()), &running_id).ok());
    ASSERT_TRUE(submit_status(*stub, submission(range_to_discard(1)), &queued_id).ok());
    daemon.send_signal(SIGTERM);
    ASSERT_EQ(daemon.wait_exit(std::chrono::seconds(30)), 0);
  }
  std::ifstream in(log_path);
  std::stringstream log;
  log << in.rdbuf();
  bool logged = false;
  std::string line;
  while (std::getline(log, line))
    logged = logged || (line.find("msg=\"run finished\"") != std::string::npos &&
                        line.find("run=" + queued_id) != std::string::npos &&
                        line.find("state=cancelled") != std::string::npos);
  EXPECT_TRUE(logged) << log.str();
  fs::remove(log_path);
}

}  // namespace
}  // namespace agdf::testing
