#pragma once
/// What the security tests share: token files made with the real `agdf-server token add`,
/// real daemons started with them, and gRPC clients with or without TLS and a token.

#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <grpcpp/grpcpp.h>

#include "agdf/v1/agdf.grpc.pb.h"
#include "server/daemon_process.hpp"

namespace agdf::auth_test {

namespace v1 = ::agdf::v1;

inline constexpr auto kCallTimeout = std::chrono::seconds(30);

/// A fresh directory, removed with its contents at the end.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  std::string path(const std::string& name) const { return (dir_ / name).string(); }

 private:
  std::filesystem::path dir_;
};

/// `agdf-server token add NAME --role ROLE --tokens FILE`: the token it printed.
std::string add_token(const std::string& file, const std::string& name, const std::string& role);

/// How a test client reaches a TLS daemon.
struct ClientTls {
  std::string ca;  ///< PEM file to trust
  std::string cert;
  std::string key;  ///< client certificate and key, for mutual TLS
};

/// A channel of its own (no shared connection) to `address`, plain or TLS.
std::shared_ptr<grpc::Channel> channel(const std::string& address,
                                       const std::optional<ClientTls>& tls = std::nullopt);

/// A call context with a deadline and, when given, `authorization: Bearer TOKEN`.
std::unique_ptr<grpc::ClientContext> call(const std::optional<std::string>& token = std::nullopt);

/// A graph file text: range(stop) -> discard.
std::string tiny_graph(int stop = 10);
/// A graph that runs until cancelled (one node sleeping a minute).
std::string endless_graph();

/// A daemon whose token file holds one principal per role (named after the role) and a
/// second submitter, "submitter2"; its logs go to a file.
class TokenDaemonTest : public ::testing::Test {
 protected:
  void SetUp() override;
  /// (Re)starts the daemon with these flags added.
  void start(const std::vector<std::string>& extra_args = {});

  const std::string& token(const std::string& principal) { return tokens_.at(principal); }
  v1::Agdf::Stub& stub() { return *stub_; }
  testing::DaemonProcess& daemon() { return *daemon_; }
  /// What the daemon logged so far.
  std::string logs() const;

  /// Submits as `principal`; the run id (fails the test when refused).
  std::string submit_as(const std::string& principal, const std::string& graph_json);

  TempDir dir_;
  std::string token_file_;
  std::map<std::string, std::string> tokens_;

 private:
  std::unique_ptr<testing::DaemonProcess> daemon_;
  std::unique_ptr<v1::Agdf::Stub> stub_;
};

}  // namespace agdf::auth_test
