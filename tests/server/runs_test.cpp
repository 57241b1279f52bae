// Submitting runs and reading their results: examples, overrides, errors, look-ups.
#include <boost/asio/io_context.hpp>
#include <boost/asio/thread_pool.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "agdf/engine/engine.hpp"
#include "agdf/engine/graph_file.hpp"
#include "agdf/engine/validate.hpp"
#include "agdf/nodes/builtin.hpp"
#include "agdf/nodes/registry.hpp"
#include "agdf/service/convert.hpp"
#include "server/daemon_fixture.hpp"

namespace agdf::testing {
namespace {

namespace fs = std::filesystem;
using DaemonRuns = DaemonTest;

std::string read_file(const fs::path& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

/// The run's result when the engine runs the graph in-process: what the daemon must match.
engine::RunResult run_in_process(const std::string& graph_json, const fs::path& data_dir) {
  Registry registry;
  register_builtin_nodes(registry);
  auto validation =
      engine::validate(engine::parse_graph_text(graph_json), registry, ValidationContext{data_dir});
  if (!validation.plan) throw std::runtime_error("example does not validate in-process");
  struct Keep final : engine::RunObserver {
    engine::RunResult result;
    void on_finished(const engine::RunResult& r) override { result = r; }
  };
  auto observer = std::make_shared<Keep>();
  boost::asio::io_context io;
  boost::asio::thread_pool blocking(2);
  engine::Engine engine(io.get_executor(), blocking.get_executor());
  engine.start(validation.plan, engine::RunOptions(), observer);
  io.run_for(kCallTimeout);
  blocking.join();
  return observer->result;
}

/// Examples that reach beyond loopback (http.*) cannot run in tests.
bool needs_the_internet(const std::string& graph_json) {
  return graph_json.find("\"http.") != std::string::npos;
}

fs::path fresh_dir(const std::string& name) {
  fs::path dir =
      fs::temp_directory_path() / ("agdf-server-test-" + name + "-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}

TEST_F(DaemonRuns, EveryExampleFinishesWithTheEnginesCounts) {
  const fs::path daemon_data = fresh_dir("daemon");
  const fs::path engine_data = fresh_dir("engine");
  start_daemon({"--data-dir", daemon_data.string()});
  int checked = 0;
  for (const auto& entry : fs::directory_iterator(AGDF_EXAMPLES_DIR)) {
    if (entry.path().extension() != ".json") continue;
    const std::string graph = read_file(entry.path());
    if (needs_the_internet(graph)) continue;
    SCOPED_TRACE(entry.path().filename().string());
    const engine::RunResult expected = run_in_process(graph, engine_data);

    const std::string id = submit(graph);
    Watched watched = watch(stub(), id);
    ASSERT_TRUE(watched.status.ok()) << watched.status.error_message();
    const v1::RunFinished& finished = watched.finished();
    EXPECT_EQ(finished.state(), service::to_proto(expected.status));
    ASSERT_EQ(finished.stats_size(), static_cast<int>(expected.nodes.size()));
    for (std::size_t i = 0; i < expected.nodes.size(); ++i) {
      const auto& node = expected.nodes[i];
      EXPECT_EQ(counts(finished.stats(), node.name), std::to_string(node.stats.in) + "/" +
                                                         std::to_string(node.stats.out) + "/" +
                                                         std::to_string(node.stats.err))
          << node.name;
      EXPECT_EQ(finished.exceptions(static_cast<int>(i)).errors_size(),
                static_cast<int>(node.errors.size()))
          << node.name;
    }
    ++checked;
  }
  EXPECT_GE(checked, 3);
  fs::remove_all(daemon_data);
  fs::remove_all(engine_data);
}

TEST_F(DaemonRuns, ThreeNodesCompletesWithTheReferenceCounts) {
  Watched watched =
      watch(stub(), submit(read_file(fs::path(AGDF_EXAMPLES_DIR) / "three_nodes.json")));
  const auto& finished = watched.finished();
  EXPECT_EQ(finished.state(), v1::RUN_STATE_COMPLETED);
  EXPECT_EQ(counts(finished.stats(), "extract"), "0/2/0");
  EXPECT_EQ(counts(finished.stats(), "transform"), "2/2/0");
  EXPECT_EQ(counts(finished.stats(), "load"), "2/2/0");
}

TEST_F(DaemonRuns, HaltAtNodeHaltsWithTheReferenceCountsAndError) {
  Watched watched =
      watch(stub(), submit(read_file(fs::path(AGDF_EXAMPLES_DIR) / "halt_at_node.json")));
  const auto& finished = watched.finished();
  EXPECT_EQ(finished.state(), v1::RUN_STATE_HALTED);
  EXPECT_EQ(counts(finished.stats(), "extract"), "0/5/0");
  EXPECT_EQ(counts(finished.stats(), "transform"), "5/5/0");
  EXPECT_EQ(counts(finished.stats(), "load"), "5/2/1");
  EXPECT_EQ(counts(finished.stats(), "output"), "2/2/0");
  int node_errors = 0;
  for (const auto& event : watched.events)
    if (event.has_node_error()) {
      ++node_errors;
      EXPECT_EQ(event.node_error().node(), "load");
      EXPECT_NE(event.node_error().error().message().find("Data3"), std::string::npos);
    }
  EXPECT_EQ(node_errors, 1);
}

TEST_F(DaemonRuns, RaisingExceptionRecordsEveryErrorAndCompletes) {
  Watched watched =
      watch(stub(), submit(read_file(fs::path(AGDF_EXAMPLES_DIR) / "raising_exception.json")));
  const auto& finished = watched.finished();
  EXPECT_EQ(finished.state(), v1::RUN_STATE_COMPLETED);
  EXPECT_EQ(counts(finished.stats(), "node1"), "0/2/0");
  EXPECT_EQ(counts(finished.stats(), "node2"), "2/0/2");
  ASSERT_EQ(finished.exceptions_size(), 2);
  EXPECT_EQ(finished.exceptions(1).node(), "node2");
  ASSERT_EQ(finished.exceptions(1).errors_size(), 2);
  EXPECT_NE(finished.exceptions(1).errors(0).message().find("hello"), std::string::npos);
}

TEST_F(DaemonRuns, EventsStartWithRunStartedAndEndWithRunFinishedNumberedWithoutGaps) {
  Watched watched = watch(stub(), submit(range_to_discard(10)));
  ASSERT_TRUE(watched.status.ok());
  ASSERT_GE(watched.events.size(), 2u);
  EXPECT_TRUE(watched.events.front().has_started());
  EXPECT_TRUE(watched.events.back().has_finished());
  for (std::size_t i = 0; i < watched.events.size(); ++i) {
    EXPECT_EQ(watched.events[i].seq(), i + 1);
    EXPECT_FALSE(watched.events[i].run_id().empty());
    EXPECT_GT(watched.events[i].time_unix_ms(), 0);
  }
  EXPECT_EQ(counts(watched.finished().stats(), "numbers"), "0/10/0");
  EXPECT_EQ(counts(watched.finished().stats(), "sink"), "10/0/0");
}

TEST_F(DaemonRuns, AStructuredGraphRunsLikeItsGraphFile) {
  v1::SubmitRunRequest request;
  v1::Graph* graph = request.mutable_definition()->mutable_graph();
  v1::Node* numbers = graph->add_nodes();
  numbers->set_name("numbers");
  numbers->set_function("range");
  numbers->set_config_json(R"({"stop": 4})");
  v1::Node* copies = graph->add_nodes();
  copies->set_name("copies");
  copies->set_function("repeat");
  copies->set_config_json(R"({"times": 2})");
  copies->set_max_tasks(2);
  v1::Edge* edge = graph->add_edges();
  edge->set_from("numbers");
  edge->set_to("copies");
  Watched watched = watch(stub(), submit(request));
  const auto& finished = watched.finished();
  EXPECT_EQ(finished.state(), v1::RUN_STATE_COMPLETED);
  EXPECT_EQ(counts(finished.stats(), "numbers"), "0/4/0");
  EXPECT_EQ(counts(finished.stats(), "copies"), "4/8/0");
}

TEST_F(DaemonRuns, StartNodeOverridesAreResolvedAndReportedWithTheRun) {
  v1::SubmitRunRequest request = submission(R"({
    "nodes": [{"name": "first", "function": "values", "config": {"values": [1]}},
              {"name": "second", "function": "echo"}],
    "edges": [["first", "second"]]})");
  v1::StartNode* start = request.add_start_nodes();
  start->set_node("second");
  start->set_args_json(R"([{"$tuple": [1, 2]}])");
  request.add_capture("second");
  Watched watched = watch(stub(), submit(request));
  ASSERT_TRUE(watched.events.front().has_started());
  const auto& started = watched.events.front().started();
  ASSERT_EQ(started.start_nodes_size(), 1);
  EXPECT_EQ(started.start_nodes(0).node(), "second");
  EXPECT_EQ(started.start_nodes(0).args_json(), R"([{"$tuple":[1,2]}])");
  std::vector<std::string> outputs;
  for (const auto& event : watched.events)
    if (event.has_output()) outputs.push_back(event.output().item_json());
  EXPECT_EQ(outputs, (std::vector<std::string>{R"({"$tuple":[1,2]})"}));
  EXPECT_EQ(counts(watched.finished().stats(), "first"), "0/0/0");
}

TEST_F(DaemonRuns, MaxExceptionsOverrideBoundsTheErrorRecords) {
  v1::SubmitRunRequest request = submission(R"({
    "nodes": [{"name": "numbers", "function": "range", "config": {"stop": 5}},
              {"name": "fail", "function": "fail_if", "config": {"values": [0, 1, 2, 3, 4]}}],
    "edges": [["numbers", "fail"]]})");
  request.set_max_exceptions(2);
  Watched watched = watch(stub(), submit(request));
  const auto& finished = watched.finished();
  EXPECT_EQ(counts(finished.stats(), "fail"), "5/0/5");
  ASSERT_EQ(finished.exceptions_size(), 2);
  EXPECT_EQ(finished.exceptions(1).errors_size(), 2);
}

TEST_F(DaemonRuns, DataFlowLoggingSendsALogLinePerNodeAtTheEnd) {
  v1::SubmitRunRequest request = submission(range_to_discard(3));
  request.mutable_logging()->set_enabled(true);
  request.mutable_logging()->set_format("{node}: {in}/{out}/{err}");
  request.mutable_logging()->add_nodes("sink");
  Watched watched = watch(stub(), submit(request));
  std::vector<std::string> lines;
  for (const auto& event : watched.events)
    if (event.has_log()) lines.push_back(event.log().node() + " " + event.log().line());
  EXPECT_EQ(lines, (std::vector<std::string>{"sink sink: 3/0/0"}));
}

TEST_F(DaemonRuns, StatsSnapshotsReportEveryNode) {
  v1::SubmitRunRequest request = submission(range_to_discard(3));
  request.set_stats_interval_ms(10);
  Watched watched = watch(stub(), submit(request));
  const v1::StatsSnapshot* last = nullptr;
  for (const auto& event : watched.events)
    if (event.has_stats()) last = &event.stats();
  ASSERT_NE(last, nullptr);
  EXPECT_EQ(counts(last->nodes(), "numbers"), "0/3/0");
  EXPECT_EQ(counts(last->nodes(), "sink"), "3/0/0");
}

TEST_F(DaemonRuns, AnInvalidGraphIsRefusedWithEveryProblem) {
  v1::SubmitRunRequest request = submission(R"({
    "nodes": [{"name": "a", "function": "nope"}, {"name": "b", "function": "echo"}],
    "edges": [["a", "b"], ["b", "c"]]})");
  request.add_capture("ghost");
  v1::SubmitRunResponse response;
  auto context = call_context();
  grpc::Status status = stub().SubmitRun(context.get(), request, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_NE(status.error_message().find("unknown function 'nope'"), std::string::npos);
  EXPECT_NE(status.error_message().find("unknown destination node 'c'"), std::string::npos);
  EXPECT_NE(status.error_message().find("capture: the graph doesn't have the node 'ghost'"),
            std::string::npos);
  EXPECT_NE(status.error_message().find("3 problems"), std::string::npos) << status.error_message();
}

TEST_F(DaemonRuns, BadJsonAndBadStartArgumentsAreInvalidArguments) {
  v1::SubmitRunResponse response;
  auto context = call_context();
  EXPECT_EQ(stub().SubmitRun(context.get(), submission("{"), &response).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);

  v1::SubmitRunRequest request = submission(range_to_discard(1));
  request.add_start_nodes()->set_args_json("{\"not\": \"an array\"}");
  auto context2 = call_context();
  grpc::Status status = stub().SubmitRun(context2.get(), request, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_NE(status.error_message().find("args_json must be a JSON array"), std::string::npos);
}

TEST_F(DaemonRuns, UnknownRunIdsAreNotFound) {
  auto context = call_context();
  v1::GetRunRequest get;
  get.set_run_id("no-such-run");
  v1::RunInfo info;
  EXPECT_EQ(stub().GetRun(context.get(), get, &info).error_code(), grpc::StatusCode::NOT_FOUND);

  auto context2 = call_context();
  v1::CancelRunRequest cancel;
  cancel.set_run_id("no-such-run");
  v1::CancelRunResponse cancelled;
  EXPECT_EQ(stub().CancelRun(context2.get(), cancel, &cancelled).error_code(),
            grpc::StatusCode::NOT_FOUND);

  Watched watched = watch(stub(), "no-such-run");
  EXPECT_EQ(watched.status.error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_TRUE(watched.events.empty());
}

TEST_F(DaemonRuns, GetRunReportsTheFinishedRun) {
  v1::SubmitRunRequest request = submission(range_to_discard(7));
  (*request.mutable_labels())["team"] = "data";
  const std::string id = submit(request);
  const auto last_seq = watch(stub(), id).events.back().seq();
  v1::GetRunRequest get;
  get.set_run_id(id);
  v1::RunInfo info;
  auto context = call_context();
  ASSERT_TRUE(stub().GetRun(context.get(), get, &info).ok());
  EXPECT_EQ(info.run_id(), id);
  EXPECT_EQ(info.state(), v1::RUN_STATE_COMPLETED);
  EXPECT_EQ(info.labels().at("team"), "data");
  EXPECT_EQ(counts(info.stats(), "numbers"), "0/7/0");
  EXPECT_EQ(info.last_seq(), last_seq);
  ASSERT_EQ(info.start_nodes_size(), 1);
  EXPECT_EQ(info.start_nodes(0).node(), "numbers");
  EXPECT_GT(info.submitted_unix_ms(), 0);
  EXPECT_GE(info.finished_unix_ms(), info.started_unix_ms());
}

TEST_F(DaemonRuns, ListRunsFiltersByStateAndLabelsNewestFirstInPages) {
  std::vector<std::string> blue;
  for (int i = 0; i < 5; ++i) {
    v1::SubmitRunRequest request = submission(range_to_discard(1));
    (*request.mutable_labels())["colour"] = i % 2 == 0 ? "blue" : "red";
    std::string id = submit(request);
    watch(stub(), id);
    if (i % 2 == 0) blue.insert(blue.begin(), id);  // newest first
  }
  const std::string running = submit(sleeps_a_minute());

  v1::ListRunsRequest request;
  (*request.mutable_labels())["colour"] = "blue";
  request.set_page_size(2);
  std::vector<std::string> listed;
  for (int page = 0; page < 5; ++page) {
    v1::ListRunsResponse response;
    auto context = call_context();
    ASSERT_TRUE(stub().ListRuns(context.get(), request, &response).ok());
    EXPECT_LE(response.runs_size(), 2);
    for (const auto& run : response.runs()) listed.push_back(run.run_id());
    if (response.next_page_token().empty()) break;
    request.set_page_token(response.next_page_token());
  }
  EXPECT_EQ(listed, blue);

  v1::ListRunsRequest by_state;
  by_state.set_state(v1::RUN_STATE_RUNNING);
  v1::ListRunsResponse response;
  auto context = call_context();
  ASSERT_TRUE(stub().ListRuns(context.get(), by_state, &response).ok());
  ASSERT_EQ(response.runs_size(), 1);
  EXPECT_EQ(response.runs(0).run_id(), running);

  v1::ListRunsRequest bad_token;
  bad_token.set_page_token("banana");
  auto context2 = call_context();
  EXPECT_EQ(stub().ListRuns(context2.get(), bad_token, &response).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
}

TEST_F(DaemonRuns, WithoutAStoreFinishedRunsBeyondKeepFinishedAreForgotten) {
  start_daemon({"--keep-finished", "2", "--no-store"});
  std::vector<std::string> ids;
  for (int i = 0; i < 3; ++i) {
    ids.push_back(submit(range_to_discard(1)));
    watch(stub(), ids.back());
  }
  auto get = [&](const std::string& id) {
    v1::GetRunRequest request;
    request.set_run_id(id);
    v1::RunInfo info;
    auto context = call_context();
    return stub().GetRun(context.get(), request, &info).error_code();
  };
  EXPECT_EQ(get(ids[0]), grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(get(ids[1]), grpc::StatusCode::OK);
  EXPECT_EQ(get(ids[2]), grpc::StatusCode::OK);
}

TEST_F(DaemonRuns, WithAStoreFinishedRunsBeyondKeepFinishedAreReadFromIt) {
  start_daemon({"--keep-finished", "2"});
  std::vector<std::string> ids;
  std::vector<Watched> watched;
  for (int i = 0; i < 3; ++i) {
    ids.push_back(submit(range_to_discard(1)));
    watched.push_back(watch(stub(), ids.back()));
  }
  v1::GetRunRequest request;
  request.set_run_id(ids[0]);
  v1::RunInfo info;
  auto context = call_context();
  ASSERT_TRUE(stub().GetRun(context.get(), request, &info).ok());
  EXPECT_EQ(info.state(), v1::RUN_STATE_COMPLETED);
  Watched again = watch(stub(), ids[0]);
  ASSERT_EQ(again.events.size(), watched[0].events.size());
  for (std::size_t i = 0; i < again.events.size(); ++i)
    EXPECT_EQ(again.events[i].SerializeAsString(), watched[0].events[i].SerializeAsString());
}

}  // namespace
}  // namespace agdf::testing
