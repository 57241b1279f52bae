// The egress policy in the daemon, against real loopback HTTP servers: http.get is
// refused by default, allowed with --http-allow, and refused when a redirect or a host
// name leads to an address the policy does not allow - in every case before anything
// reaches the refused server.

#include <gtest/gtest.h>

#include <fstream>

#include <nlohmann/json.hpp>

#include "agdf/v1/agdf.grpc.pb.h"
#include "io_harness.hpp"
#include "server/daemon_process.hpp"
#include "support/child_process.hpp"
#include "test_http_server.hpp"

namespace agdf::io_test {
namespace {

namespace v1 = ::agdf::v1;

std::unique_ptr<grpc::ClientContext> deadline() {
  auto context = std::make_unique<grpc::ClientContext>();
  context->set_deadline(std::chrono::system_clock::now() + kRunTimeout);
  return context;
}

/// Runs `http.get` of `url` on a daemon started with `flags`; the run's final event.
v1::RunFinished fetch(const std::string& url, const std::vector<std::string>& flags) {
  std::vector<std::string> args{"--log-level", "warn"};
  args.insert(args.end(), flags.begin(), flags.end());
  testing::DaemonProcess daemon(AGDF_SERVER_BIN, args);
  auto stub = daemon.stub();
  const nlohmann::json graph = {
      {"nodes",
       {{{"name", "get"},
         {"function", "http.get"},
         {"config", {{"url", url}, {"retries", 0}, {"response", "text"}}}}}}};
  v1::SubmitRunRequest request;
  request.mutable_definition()->set_graph_json(graph.dump());
  v1::SubmitRunResponse submitted;
  auto context = deadline();
  const grpc::Status status = stub->SubmitRun(context.get(), request, &submitted);
  EXPECT_TRUE(status.ok()) << status.error_message();

  auto watch_context = deadline();
  v1::WatchRunRequest watch;
  watch.set_run_id(submitted.run_id());
  auto reader = stub->WatchRun(watch_context.get(), watch);
  v1::RunEvent event;
  v1::RunFinished finished;
  while (reader->Read(&event))
    if (event.has_finished()) finished = event.finished();
  EXPECT_TRUE(reader->Finish().ok());
  return finished;
}

/// The one error of node "get" as "Type: message", or "" when it had none.
std::string error_of(const v1::RunFinished& finished) {
  for (const auto& node : finished.exceptions())
    if (node.node() == "get" && node.errors_size() > 0)
      return node.errors(0).type() + ": " + node.errors(0).message();
  return "";
}

TestResponse ok(const TestRequest&) {
  return {200, "hello", "text/plain"};
}

TEST(EgressThroughTheDaemon, LoopbackIsRefusedByDefault) {
  TestHttpServer server;
  server.route("/data", ok);

  const auto finished = fetch(server.url("/data"), {});

  EXPECT_EQ(error_of(finished),
            "PermissionError: GET " + server.url("/data") +
                ": refused by the egress policy: 127.0.0.1 is a loopback address (127.0.0.0/8); "
                "the daemon's --http-allow can allow it");
  EXPECT_EQ(server.requests("/data"), 0u);
}

TEST(EgressThroughTheDaemon, HttpAllowOpensTheAddress) {
  TestHttpServer server;
  server.route("/data", ok);

  const auto finished = fetch(server.url("/data"), {"--http-allow", "127.0.0.1"});

  EXPECT_EQ(error_of(finished), "");
  EXPECT_EQ(finished.state(), v1::RUN_STATE_COMPLETED);
  EXPECT_EQ(server.requests("/data"), 1u);
}

TEST(EgressThroughTheDaemon, ARedirectToARefusedAddressIsRefused) {
  TestHttpServer inside({}, "127.0.0.2");
  inside.route("/secret", ok);
  TestHttpServer outside;
  outside.route("/start", [&](const TestRequest&) {
    return TestResponse{302, "", "text/plain", {{"Location", inside.url("/secret")}}};
  });

  const auto finished = fetch(outside.url("/start"), {"--http-allow", "127.0.0.1"});

  EXPECT_EQ(error_of(finished),
            "PermissionError: GET " + inside.url("/secret") +
                ": refused by the egress policy: 127.0.0.2 is a loopback address (127.0.0.0/8); "
                "the daemon's --http-allow can allow it");
  EXPECT_EQ(outside.requests("/start"), 1u);
  EXPECT_EQ(inside.requests("/secret"), 0u);
}

TEST(EgressThroughTheDaemon, AHostNameResolvingToARefusedAddressIsRefused) {
  TestHttpServer server;
  server.route("/data", ok);
  const std::string url = "http://localhost:" + std::to_string(server.port()) + "/data";

  // An allowed address elsewhere does not open what `localhost` resolves to.
  const auto finished = fetch(url, {"--http-allow", "127.0.0.2"});

  const std::string error = error_of(finished);
  EXPECT_TRUE(error.starts_with("PermissionError: GET " + url +
                                ": refused by the egress policy: localhost resolves to "))
      << error;
  EXPECT_NE(error.find(", which is a loopback address"), std::string::npos) << error;
  EXPECT_EQ(server.requests("/data"), 0u);
}

TEST(EgressThroughTheDaemon, AnAllowedHostNameIsReached) {
  TestHttpServer server;
  server.route("/data", ok);
  const std::string url = "http://localhost:" + std::to_string(server.port()) + "/data";

  const auto finished = fetch(url, {"--http-allow", "localhost"});

  EXPECT_EQ(error_of(finished), "");
  EXPECT_EQ(server.requests("/data"), 1u);
}

TEST(EgressInTheOneShotRunner, EveryDestinationIsAllowed) {
  TestHttpServer server;
  server.route("/data", ok);
  TempDir dir;
  const nlohmann::json graph = {
      {"nodes",
       {{{"name", "get"},
         {"function", "http.get"},
         {"config", {{"url", server.url("/data")}, {"retries", 0}, {"response", "text"}}}}}}};
  const std::string file = (dir / "graph.json").string();
  std::ofstream(file) << graph.dump();

  const auto result = testing::run_to_end(
      {AGDF_SERVER_BIN, "run", file, "--json", "--data-dir", dir.path().string()});

  EXPECT_EQ(result.exit_code, 0) << result.err;
  const auto out = nlohmann::json::parse(result.out);
  EXPECT_EQ(out["status"], "completed") << result.out;
  EXPECT_EQ(out["exceptions"]["get"], nlohmann::json::array()) << result.out;
  EXPECT_EQ(server.requests("/data"), 1u);
}

TEST(EgressThroughTheDaemon, ABadAllowEntryStopsTheStart) {
  EXPECT_THROW(testing::DaemonProcess(AGDF_SERVER_BIN, {"--http-allow", "10.0.0.0/40"}),
               std::runtime_error);
}

}  // namespace
}  // namespace agdf::io_test
