// The brewery example end to end through the real daemon: agdf-server serve with its own
// data directory, the graph submitted with the generated gRPC client, the run watched to
// its end, and the CSV read back from the daemon's data directory.

#include <gtest/gtest.h>

#include <chrono>

#include "agdf/v1/agdf.grpc.pb.h"
#include "brewery_data.hpp"
#include "example_graph.hpp"
#include "io_harness.hpp"
#include "server/daemon_process.hpp"
#include "test_http_server.hpp"

namespace agdf::io_test {
namespace {

namespace v1 = ::agdf::v1;

constexpr std::size_t kGenerated = 450;

std::unique_ptr<grpc::ClientContext> with_deadline() {
  auto context = std::make_unique<grpc::ClientContext>();
  context->set_deadline(std::chrono::system_clock::now() + kRunTimeout);
  return context;
}

/// Watches the run to its RunFinished event.
v1::RunFinished watch_to_the_end(v1::Agdf::Stub& stub, const std::string& run_id) {
  auto context = with_deadline();
  v1::WatchRunRequest request;
  request.set_run_id(run_id);
  auto reader = stub.WatchRun(context.get(), request);
  v1::RunEvent event;
  v1::RunFinished finished;
  while (reader->Read(&event))
    if (event.has_finished()) finished = event.finished();
  EXPECT_TRUE(reader->Finish().ok());
  return finished;
}

TEST(BreweriesThroughTheDaemon, WritesTheExpectedCsvIntoTheDaemonsDataDirectory) {
  TestHttpServer api;
  api.route("/v1/breweries", paginated(brewery_records(kGenerated).dump()));
  TempDir data;
  // The API runs on loopback, which the daemon's egress policy refuses unless allowed.
  testing::DaemonProcess daemon(AGDF_SERVER_BIN, {"--data-dir", data.path().string(), "--log-level",
                                                  "warn", "--http-allow", "127.0.0.1"});
  auto stub = daemon.stub();

  v1::SubmitRunRequest request;
  request.mutable_definition()->set_graph_json(
      brewery_example_for(api.url("/v1/breweries")).dump());
  v1::SubmitRunResponse submitted;
  auto context = with_deadline();
  const grpc::Status status = stub->SubmitRun(context.get(), request, &submitted);
  ASSERT_TRUE(status.ok()) << status.error_message();

  const v1::RunFinished finished = watch_to_the_end(*stub, submitted.run_id());

  EXPECT_EQ(finished.state(), v1::RUN_STATE_COMPLETED) << finished.failure();
  EXPECT_EQ(read_file(data / "breweries_us.csv"), expected_brewery_csv(kGenerated));
  EXPECT_EQ(api.requests("/v1/breweries"), 4u);
}

TEST(BreweriesThroughTheDaemon, RefusesAPathOutsideTheDaemonsDataDirectory) {
  TempDir data;
  testing::DaemonProcess daemon(AGDF_SERVER_BIN,
                                {"--data-dir", data.path().string(), "--log-level", "warn"});
  auto stub = daemon.stub();
  nlohmann::json graph = brewery_example_for("http://127.0.0.1:1/v1/breweries");
  graph["nodes"][1]["config"]["path"] = "../breweries_us.csv";

  v1::SubmitRunRequest request;
  request.mutable_definition()->set_graph_json(graph.dump());
  v1::SubmitRunResponse submitted;
  auto context = with_deadline();
  const grpc::Status status = stub->SubmitRun(context.get(), request, &submitted);

  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_NE(status.error_message().find("config.path '../breweries_us.csv' contains '..'"),
            std::string::npos)
      << status.error_message();
}

}  // namespace
}  // namespace agdf::io_test
