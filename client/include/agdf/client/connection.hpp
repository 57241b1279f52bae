#pragma once
/// One channel to an agdf daemon and the stubs over it: the agdf service and the
/// standard health service.

#include <chrono>
#include <memory>
#include <string>

#include <grpcpp/grpcpp.h>

#include "agdf/v1/agdf.grpc.pb.h"
#include "grpc/health/v1/health.grpc.pb.h"

namespace agdf::client {

/// The daemon's address when neither --server nor AGDF_SERVER says otherwise.
inline constexpr const char* kDefaultServer = "127.0.0.1:50051";
/// The environment variable that names the daemon.
inline constexpr const char* kServerEnv = "AGDF_SERVER";

class Connection {
 public:
  explicit Connection(std::string address);

  const std::string& address() const noexcept { return address_; }
  v1::Agdf::Stub& agdf() noexcept { return *agdf_; }
  grpc::health::v1::Health::Stub& health() noexcept { return *health_; }

  /// Prepares a context for a unary call, which must answer within `timeout`.
  static void set_deadline(grpc::ClientContext& context,
                           std::chrono::milliseconds timeout = std::chrono::seconds(30));

 private:
  std::string address_;
  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<v1::Agdf::Stub> agdf_;
  std::unique_ptr<grpc::health::v1::Health::Stub> health_;
};

/// --server if given, else $AGDF_SERVER if set and non-empty, else kDefaultServer.
std::string resolve_server_address(const std::string& flag_value);

}  // namespace agdf::client
