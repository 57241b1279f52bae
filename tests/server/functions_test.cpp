// ListFunctions, ValidateGraph, health and reflection, through the generated client.
#include <grpcpp/generic/generic_stub.h>

#include "grpc/health/v1/health.grpc.pb.h"
#include "server/daemon_fixture.hpp"

namespace agdf::testing {
namespace {

using DaemonFunctions = DaemonTest;
using DaemonValidation = DaemonTest;
using DaemonHealth = DaemonTest;

const v1::FunctionInfo* find_function(const v1::ListFunctionsResponse& list,
                                      const std::string& name) {
  for (const auto& f : list.functions())
    if (f.name() == name) return &f;
  return nullptr;
}

std::vector<std::string> problem_texts(const v1::ValidateGraphResponse& response) {
  std::vector<std::string> texts;
  for (const auto& p : response.problems()) texts.push_back(p.where() + ": " + p.message());
  return texts;
}

bool any_contains(const std::vector<std::string>& texts, const std::string& part) {
  for (const auto& t : texts)
    if (t.find(part) != std::string::npos) return true;
  return false;
}

TEST_F(DaemonFunctions, ListsTheBuiltInsWithTheirParametersAndConfigKeys) {
  auto context = call_context();
  v1::ListFunctionsResponse list;
  ASSERT_TRUE(stub().ListFunctions(context.get(), {}, &list).ok());

  for (const char* name : {"values", "range", "echo", "title_case", "sleep", "repeat", "fail_if",
                           "template", "print", "discard"})
    EXPECT_NE(find_function(list, name), nullptr) << name;

  const v1::FunctionInfo* sleep = find_function(list, "sleep");
  ASSERT_NE(sleep, nullptr);
  EXPECT_FALSE(sleep->description().empty());
  ASSERT_EQ(sleep->params_size(), 1);
  EXPECT_EQ(sleep->params(0).name(), "item");
  EXPECT_EQ(sleep->params(0).default_json(), "null");
  ASSERT_EQ(sleep->config_keys_size(), 1);
  EXPECT_EQ(sleep->config_keys(0).name(), "ms");
  EXPECT_TRUE(sleep->config_keys(0).required());
  EXPECT_EQ(sleep->config_keys(0).example_json(), "100");

  const v1::FunctionInfo* discard = find_function(list, "discard");
  ASSERT_NE(discard, nullptr);
  ASSERT_EQ(discard->params_size(), 1);
  EXPECT_FALSE(discard->params(0).has_default_json());  // required parameter
}

TEST_F(DaemonValidation, AcceptsAValidGraph) {
  v1::ValidateGraphRequest request;
  request.mutable_definition()->set_graph_json(range_to_discard(3));
  v1::ValidateGraphResponse response;
  auto context = call_context();
  ASSERT_TRUE(stub().ValidateGraph(context.get(), request, &response).ok());
  EXPECT_TRUE(response.valid());
  EXPECT_EQ(response.problems_size(), 0);
}

TEST_F(DaemonValidation, ListsEveryProblemOfAGraphFileAtOnce) {
  v1::ValidateGraphRequest request;
  request.mutable_definition()->set_graph_json(R"({
    "nodes": [
      {"name": "a", "function": "range", "config": {"stop": "ten"}},
      {"name": "b", "function": "lod"},
      {"name": "c", "function": "echo", "max_tasks": 0},
      {"name": "c", "function": "echo"},
      {"name": "d", "function": "echo", "colour": "red"},
      {"name": "e", "function": "echo"}
    ],
    "edges": [["a", "zzz"], ["d", "e"], ["e", "d"]]
  })");
  v1::ValidateGraphResponse response;
  auto context = call_context();
  ASSERT_TRUE(stub().ValidateGraph(context.get(), request, &response).ok());
  EXPECT_FALSE(response.valid());
  auto texts = problem_texts(response);
  EXPECT_TRUE(any_contains(texts, "node 'a': config.stop must be"));
  EXPECT_TRUE(any_contains(texts, "node 'b': unknown function 'lod'"));
  EXPECT_TRUE(any_contains(texts, "max_tasks must be at least 1"));
  EXPECT_TRUE(any_contains(texts, "duplicate node name"));
  EXPECT_TRUE(any_contains(texts, "unknown key 'colour'"));
  EXPECT_TRUE(any_contains(texts, "unknown destination node 'zzz'"));
  EXPECT_TRUE(any_contains(texts, "cycle"));
  EXPECT_GE(response.problems_size(), 7) << ::testing::PrintToString(texts);
}

TEST_F(DaemonValidation, ListsEveryProblemOfAStructuredGraph) {
  v1::ValidateGraphRequest request;
  v1::Graph* graph = request.mutable_definition()->mutable_graph();
  v1::Node* a = graph->add_nodes();
  a->set_name("a");
  a->set_function("range");
  a->set_config_json("{not json");
  v1::Node* b = graph->add_nodes();
  b->set_name("b");
  b->set_function("echo");
  b->set_config_json("[1]");
  v1::Edge* edge = graph->add_edges();
  edge->set_from("a");
  edge->set_to("nowhere");
  v1::StartNode* start = graph->add_start_nodes();
  start->set_node("ghost");
  v1::ValidateGraphResponse response;
  auto context = call_context();
  ASSERT_TRUE(stub().ValidateGraph(context.get(), request, &response).ok());
  EXPECT_FALSE(response.valid());
  auto texts = problem_texts(response);
  EXPECT_TRUE(any_contains(texts, "node 'a': config_json is not valid JSON"));
  EXPECT_TRUE(any_contains(texts, "node 'b': config_json must be a JSON object"));
  EXPECT_TRUE(any_contains(texts, "unknown destination node 'nowhere'"));
  EXPECT_TRUE(any_contains(texts, "the graph doesn't have the node 'ghost'"));
}

TEST_F(DaemonValidation, ReportsAMissingDefinition) {
  v1::ValidateGraphResponse response;
  auto context = call_context();
  ASSERT_TRUE(stub().ValidateGraph(context.get(), {}, &response).ok());
  EXPECT_FALSE(response.valid());
  EXPECT_TRUE(any_contains(problem_texts(response), "no graph given"));
}

TEST_F(DaemonHealth, ReportsServing) {
  auto health = grpc::health::v1::Health::NewStub(daemon().channel());
  grpc::health::v1::HealthCheckRequest request;
  grpc::health::v1::HealthCheckResponse response;
  auto context = call_context();
  ASSERT_TRUE(health->Check(context.get(), request, &response).ok());
  EXPECT_EQ(response.status(), grpc::health::v1::HealthCheckResponse::SERVING);
}

/// Asks the reflection service to list services, with a hand-encoded request (no
/// reflection client library is installed): ServerReflectionRequest{list_services: "*"}.
std::string list_services_raw(const std::shared_ptr<grpc::Channel>& channel) {
  grpc::GenericStub stub(channel);
  grpc::CompletionQueue cq;
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + kCallTimeout);
  auto call = stub.PrepareCall(
      &context, "/grpc.reflection.v1alpha.ServerReflection/ServerReflectionInfo", &cq);
  void* tag = nullptr;
  bool ok = false;
  auto step = [&](void* expected) { return cq.Next(&tag, &ok) && tag == expected && ok; };
  call->StartCall(reinterpret_cast<void*>(1));
  if (!step(reinterpret_cast<void*>(1))) return {};
  const char request_bytes[] = {0x3A, 0x01, '*'};  // field 7 (list_services), "*"
  grpc::Slice slice(request_bytes, sizeof request_bytes);
  grpc::ByteBuffer request(&slice, 1);
  call->WriteLast(request, grpc::WriteOptions(), reinterpret_cast<void*>(2));
  if (!step(reinterpret_cast<void*>(2))) return {};
  grpc::ByteBuffer response;
  call->Read(&response, reinterpret_cast<void*>(3));
  if (!step(reinterpret_cast<void*>(3))) return {};
  grpc::Status status;
  call->Finish(&status, reinterpret_cast<void*>(4));
  step(reinterpret_cast<void*>(4));
  cq.Shutdown();
  while (cq.Next(&tag, &ok)) {
  }
  std::vector<grpc::Slice> slices;
  if (!response.Dump(&slices).ok()) return {};
  std::string bytes;
  for (const auto& s : slices) bytes.append(reinterpret_cast<const char*>(s.begin()), s.size());
  return bytes;
}

TEST_F(DaemonHealth, ServerReflectionListsTheServices) {
  std::string listing = list_services_raw(daemon().channel());
  EXPECT_NE(listing.find("agdf.v1.Agdf"), std::string::npos);
  EXPECT_NE(listing.find("grpc.health.v1.Health"), std::string::npos);
}

}  // namespace
}  // namespace agdf::testing
