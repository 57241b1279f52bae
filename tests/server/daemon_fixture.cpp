#include "server/daemon_fixture.hpp"

namespace agdf::testing {

std::unique_ptr<grpc::ClientContext> call_context() {
  auto context = std::make_unique<grpc::ClientContext>();
  context->set_deadline(std::chrono::system_clock::now() + kCallTimeout);
  return context;
}

v1::SubmitRunRequest submission(const std::string& graph_json) {
  v1::SubmitRunRequest request;
  request.mutable_definition()->set_graph_json(graph_json);
  return request;
}

std::string range_to_discard(int stop) {
  return R"({"nodes": [{"name": "numbers", "function": "range", "config": {"stop": )" +
         std::to_string(stop) + R"(}},
                       {"name": "sink", "function": "discard"}],
             "edges": [["numbers", "sink"]]})";
}

std::string sleeps_a_minute() {
  return R"({"nodes": [{"name": "wait", "function": "sleep", "config": {"ms": 60000}}]})";
}

const v1::RunFinished& Watched::finished() const {
  static const v1::RunFinished kNone;
  if (events.empty() || !events.back().has_finished()) {
    ADD_FAILURE() << "the stream has no RunFinished event (status " << status.error_code() << ": "
                  << status.error_message() << ")";
    return kNone;
  }
  return events.back().finished();
}

Watched watch(v1::Agdf::Stub& stub, const std::string& run_id, std::uint64_t from_seq) {
  auto context = call_context();
  v1::WatchRunRequest request;
  request.set_run_id(run_id);
  request.set_from_seq(from_seq);
  auto reader = stub.WatchRun(context.get(), request);
  Watched watched;
  v1::RunEvent event;
  while (reader->Read(&event)) watched.events.push_back(event);
  watched.status = reader->Finish();
  return watched;
}

std::string counts(const google::protobuf::RepeatedPtrField<v1::NodeStats>& stats,
                   const std::string& node) {
  for (const v1::NodeStats& s : stats)
    if (s.node() == node)
      return std::to_string(s.in()) + "/" + std::to_string(s.out()) + "/" + std::to_string(s.err());
  return "missing";
}

void DaemonTest::start_daemon(const std::vector<std::string>& extra_args) {
  stub_.reset();
  daemon_.reset();
  std::vector<std::string> args{"--log-level", "warn"};
  args.insert(args.end(), extra_args.begin(), extra_args.end());
  daemon_ = std::make_unique<DaemonProcess>(AGDF_SERVER_BIN, args);
  stub_ = daemon_->stub();
}

std::string DaemonTest::submit(const v1::SubmitRunRequest& request) {
  auto context = call_context();
  v1::SubmitRunResponse response;
  grpc::Status status = stub_->SubmitRun(context.get(), request, &response);
  EXPECT_TRUE(status.ok()) << status.error_message();
  return response.run_id();
}

}  // namespace agdf::testing
