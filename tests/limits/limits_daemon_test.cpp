// Each operator limit through a real daemon: a request over it is refused with
// INVALID_ARGUMENT or RESOURCE_EXHAUSTED and a message naming the limit's flag; a
// request within it is served.

#include <nlohmann/json.hpp>

#include "auth/auth_fixture.hpp"

namespace agdf::limits_test {
namespace {

using auth_test::call;
using nlohmann::json;
namespace v1 = ::agdf::v1;

class Limits : public ::testing::Test {
 protected:
  void SetUp() override {
    daemon_ = std::make_unique<testing::DaemonProcess>(
        AGDF_SERVER_BIN, std::vector<std::string>{"--log-level",
                                                  "warn",
                                                  "--max-message-bytes",
                                                  "100000",
                                                  "--max-graph-bytes",
                                                  "2000",
                                                  "--max-nodes",
                                                  "3",
                                                  "--max-preloaded-items",
                                                  "5",
                                                  "--max-tasks-per-node",
                                                  "4",
                                                  "--max-tasks-per-run",
                                                  "6",
                                                  "--max-queue-size-per-node",
                                                  "100",
                                                  "--max-queue-size-per-run",
                                                  "150",
                                                  "--max-runs-per-principal",
                                                  "2"});
    stub_ = v1::Agdf::NewStub(auth_test::channel(daemon_->address()));
  }

  grpc::Status submit(const json& graph, std::string* run_id = nullptr) {
    v1::SubmitRunRequest request;
    request.mutable_definition()->set_graph_json(graph.dump());
    v1::SubmitRunResponse response;
    auto context = call();
    const grpc::Status status = stub_->SubmitRun(context.get(), request, &response);
    if (run_id) *run_id = response.run_id();
    return status;
  }

  /// Expects `graph` refused with INVALID_ARGUMENT mentioning `flag`, by SubmitRun and
  /// by ValidateGraph.
  void expect_refused(const json& graph, const std::string& flag) {
    const grpc::Status status = submit(graph);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << flag;
    EXPECT_NE(status.error_message().find("(" + flag + ")"), std::string::npos)
        << status.error_message();
    v1::ValidateGraphRequest request;
    request.mutable_definition()->set_graph_json(graph.dump());
    v1::ValidateGraphResponse response;
    auto context = call();
    ASSERT_TRUE(stub_->ValidateGraph(context.get(), request, &response).ok());
    EXPECT_FALSE(response.valid()) << flag;
    std::string problems;
    for (const auto& p : response.problems()) problems += p.message() + "\n";
    EXPECT_NE(problems.find("(" + flag + ")"), std::string::npos) << problems;
  }

  std::unique_ptr<testing::DaemonProcess> daemon_;
  std::unique_ptr<v1::Agdf::Stub> stub_;
};

json node(const std::string& name, json extra = json::object()) {
  json n = {{"name", name}, {"function", "echo"}};
  n.update(extra);
  return n;
}

json chain(std::vector<json> nodes) {
  json edges = json::array();
  for (std::size_t i = 1; i < nodes.size(); ++i)
    edges.push_back({nodes[i - 1]["name"], nodes[i]["name"]});
  json start = {{nodes[0]["name"].get<std::string>(), json::array({"x"})}};
  return {{"nodes", nodes}, {"edges", edges}, {"start_nodes", start}};
}

TEST_F(Limits, AGraphAtEveryLimitRuns) {
  const json graph =
      chain({node("a", {{"max_tasks", 2}, {"queue_size", 50}}),
             node("b", {{"max_tasks", 2}, {"queue_size", 50}}),
             node("c", {{"max_tasks", 2},
                        {"queue_size", 50},
                        {"queue", {{"kind", "preload"}, {"items", {1, 2, 3, 4, 5}}}}})});
  const grpc::Status status = submit(graph);
  EXPECT_TRUE(status.ok()) << status.error_message();
}

TEST_F(Limits, GraphBytes) {
  expect_refused(chain({node("a", {{"config", {{"then", {std::string(2100, 'x')}}}}})}),
                 "--max-graph-bytes");
}

TEST_F(Limits, NodesPerGraph) {
  expect_refused(chain({node("a"), node("b"), node("c"), node("d")}), "--max-nodes");
}

TEST_F(Limits, PreloadedItems) {
  expect_refused(
      chain({node("a", {{"queue", {{"kind", "preload"}, {"items", {1, 2, 3, 4, 5, 6}}}}})}),
      "--max-preloaded-items");
}

TEST_F(Limits, MaxTasksPerNodeAndPerRun) {
  expect_refused(chain({node("a", {{"max_tasks", 5}})}), "--max-tasks-per-node");
  expect_refused(chain({node("a", {{"max_tasks", 4}}), node("b", {{"max_tasks", 3}})}),
                 "--max-tasks-per-run");
}

TEST_F(Limits, QueueSizePerNodeAndPerRun) {
  expect_refused(chain({node("a", {{"queue_size", 101}})}), "--max-queue-size-per-node");
  expect_refused(chain({node("a", {{"queue_size", 100}}), node("b", {{"queue_size", 51}})}),
                 "--max-queue-size-per-run");
}

TEST_F(Limits, RunsRunningAndQueuedPerPrincipal) {
  json endless = json::parse(auth_test::endless_graph());
  endless["nodes"][0]["queue_size"] = 10;  // this daemon's queue limits are small
  std::string first;
  const grpc::Status status = submit(endless, &first);
  ASSERT_TRUE(status.ok()) << status.error_message();
  ASSERT_TRUE(submit(endless).ok());

  const grpc::Status third = submit(endless);
  EXPECT_EQ(third.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
  EXPECT_NE(third.error_message().find("(--max-runs-per-principal 2)"), std::string::npos)
      << third.error_message();

  // A run that ends frees its place.
  v1::CancelRunRequest cancel;
  cancel.set_run_id(first);
  v1::CancelRunResponse cancelled;
  auto context = call();
  ASSERT_TRUE(stub_->CancelRun(context.get(), cancel, &cancelled).ok());
  EXPECT_TRUE(submit(endless).ok());
}

TEST_F(Limits, MessageSizeOnTheGrpcPort) {
  v1::SubmitRunRequest request;
  request.mutable_definition()->set_graph_json(std::string(150'000, ' ') + "{}");
  v1::SubmitRunResponse response;
  auto context = call();
  const grpc::Status status = stub_->SubmitRun(context.get(), request, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
}

TEST(PrincipalLimits, EachPrincipalHasItsOwnAllowance) {
  auth_test::TempDir dir;
  const std::string file = dir.path("tokens");
  const std::string alice = auth_test::add_token(file, "alice", "submitter");
  const std::string bob = auth_test::add_token(file, "bob", "submitter");
  testing::DaemonProcess daemon(
      AGDF_SERVER_BIN, {"--log-level", "warn", "--tokens", file, "--max-runs-per-principal", "1"});
  auto stub = v1::Agdf::NewStub(auth_test::channel(daemon.address()));
  auto submit_as = [&](const std::string& token) {
    v1::SubmitRunRequest request;
    request.mutable_definition()->set_graph_json(auth_test::endless_graph());
    v1::SubmitRunResponse response;
    auto context = call(token);
    return stub->SubmitRun(context.get(), request, &response);
  };
  EXPECT_TRUE(submit_as(alice).ok());
  const grpc::Status again = submit_as(alice);
  EXPECT_EQ(again.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
  EXPECT_NE(again.error_message().find("'alice' already has 1 runs"), std::string::npos)
      << again.error_message();
  EXPECT_TRUE(submit_as(bob).ok());
}

}  // namespace
}  // namespace agdf::limits_test
