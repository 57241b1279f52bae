#pragma once
// A real agdf-server with its HTTP port on loopback, reached through both gRPC (the
// generated client) and HTTP (http_client).

#include <string>
#include <vector>

#include "http/http_client.hpp"
#include "server/daemon_fixture.hpp"

namespace agdf::http_test {

class HttpDaemonTest : public agdf::testing::DaemonTest {
 protected:
  void SetUp() override { start_http_daemon(); }

  /// (Re)starts the daemon with --http-listen 127.0.0.1:0 and `extra_args`.
  void start_http_daemon(const std::vector<std::string>& extra_args = {});

  const Target& http() const { return http_; }
  /// GetRun over gRPC.
  agdf::v1::RunInfo get_run(const std::string& id);
  /// CancelRun over gRPC: the state it answers.
  agdf::v1::RunState cancel_run(const std::string& id);
  /// Polls GetRun until the run is in a final state (generous deadline).
  agdf::v1::RunInfo wait_final(const std::string& id);

 private:
  Target http_;
};

}  // namespace agdf::http_test
