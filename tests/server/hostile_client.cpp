#include "server/hostile_client.hpp"

#include "grpc/health/v1/health.grpc.pb.h"

namespace agdf::testing {

grpc::Status submit_status(v1::Agdf::Stub& stub, const v1::SubmitRunRequest& request,
                           std::string* run_id) {
  auto context = call_context();
  v1::SubmitRunResponse response;
  grpc::Status status = stub.SubmitRun(context.get(), request, &response);
  if (run_id) *run_id = response.run_id();
  return status;
}

grpc::Status submit_and_watch_status(v1::Agdf::Stub& stub, const v1::SubmitRunRequest& request,
                                     std::string* run_id) {
  auto context = call_context();
  auto reader = stub.SubmitAndWatch(context.get(), request);
  v1::RunEvent event;
  if (reader->Read(&event)) {
    EXPECT_TRUE(event.has_accepted()) << "the first event of SubmitAndWatch is not 'accepted'";
    if (run_id) *run_id = event.run_id();
    auto cancel_context = call_context();
    v1::CancelRunRequest cancel;
    cancel.set_run_id(event.run_id());
    v1::CancelRunResponse cancelled;
    grpc::Status status = stub.CancelRun(cancel_context.get(), cancel, &cancelled);
    EXPECT_TRUE(status.ok()) << "cancel: " << status.error_code() << " " << status.error_message();
    while (reader->Read(&event)) {
    }
  }
  return reader->Finish();
}

grpc::Status validate_status(v1::Agdf::Stub& stub, const v1::GraphDefinition& definition,
                             v1::ValidateGraphResponse* response) {
  auto context = call_context();
  v1::ValidateGraphRequest request;
  *request.mutable_definition() = definition;
  return stub.ValidateGraph(context.get(), request, response);
}

int health_of(DaemonProcess& daemon, const std::string& service) {
  auto health = grpc::health::v1::Health::NewStub(daemon.channel());
  auto context = call_context();
  grpc::health::v1::HealthCheckRequest request;
  request.set_service(service);
  grpc::health::v1::HealthCheckResponse response;
  grpc::Status status = health->Check(context.get(), request, &response);
  return status.ok() ? static_cast<int>(response.status()) : -status.error_code();
}

void expect_still_serving(DaemonProcess& daemon, v1::Agdf::Stub& stub) {
  EXPECT_FALSE(daemon.wait_exit(std::chrono::milliseconds(0)).has_value()) << "the daemon is gone";
  EXPECT_EQ(health_of(daemon, ""), grpc::health::v1::HealthCheckResponse::SERVING);
  EXPECT_EQ(health_of(daemon, "agdf.v1.Agdf"), grpc::health::v1::HealthCheckResponse::SERVING);
  std::string id;
  grpc::Status status = submit_status(stub, submission(range_to_discard(3)), &id);
  ASSERT_TRUE(status.ok()) << status.error_code() << ": " << status.error_message();
  Watched watched = watch(stub, id);
  EXPECT_EQ(watched.finished().state(), v1::RUN_STATE_COMPLETED);
  EXPECT_EQ(counts(watched.finished().stats(), "sink"), "3/0/0");
}

v1::SubmitRunRequest structured(const v1::Graph& graph) {
  v1::SubmitRunRequest request;
  *request.mutable_definition()->mutable_graph() = graph;
  return request;
}

v1::Node* add_node(v1::Graph& graph, const std::string& name, const std::string& function,
                   const std::string& config_json) {
  v1::Node* node = graph.add_nodes();
  node->set_name(name);
  node->set_function(function);
  node->set_config_json(config_json);
  return node;
}

}  // namespace agdf::testing
