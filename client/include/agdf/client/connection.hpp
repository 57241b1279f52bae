#pragma once
/// One channel to an agdf daemon and the stubs over it: the agdf service and the
/// standard health service.

#include <chrono>
#include <memory>
#include <stdexcept>
#include <string>

#include <grpcpp/grpcpp.h>

#include "agdf/v1/agdf.grpc.pb.h"
#include "grpc/health/v1/health.grpc.pb.h"

namespace agdf::client {

/// The daemon's address when neither --server nor AGDF_SERVER says otherwise.
inline constexpr const char* kDefaultServer = "127.0.0.1:50051";
/// The environment variable that names the daemon.
inline constexpr const char* kServerEnv = "AGDF_SERVER";

/// How to reach the daemon and whom to present as. Each field also has an AGDF_*
/// variable (resolve_connection_options).
struct ConnectionOptions {
  std::string address;          ///< HOST:PORT (AGDF_SERVER)
  bool tls = false;             ///< TLS with the system's CAs (AGDF_TLS=1); implied by tls_*
  std::string tls_ca;           ///< PEM file of CAs to trust instead (AGDF_TLS_CA)
  std::string tls_server_name;  ///< name the certificate must carry (AGDF_TLS_SERVER_NAME)
  std::string tls_client_cert;  ///< PEM client certificate, mutual TLS (AGDF_TLS_CLIENT_CERT)
  std::string tls_client_key;   ///< its key (AGDF_TLS_CLIENT_KEY)
  std::string token;            ///< sent as `authorization: Bearer TOKEN` (AGDF_TOKEN)
  std::string token_file;       ///< a file holding the token (AGDF_TOKEN_FILE)

  /// True when the channel speaks TLS.
  bool uses_tls() const noexcept {
    return tls || !tls_ca.empty() || !tls_server_name.empty() || !tls_client_cert.empty();
  }
};

/// Options whose settings cannot be used (an unreadable file, a key without a certificate).
class ConnectionError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class Connection {
 public:
  /// A plain-text channel without a token.
  explicit Connection(std::string address);
  /// Throws ConnectionError when a file cannot be read or the options do not fit together.
  explicit Connection(const ConnectionOptions& options);

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

/// `flags` with every empty field taken from its AGDF_* variable, the address defaulted,
/// and the token read from token_file when only that is given.
ConnectionOptions resolve_connection_options(ConnectionOptions flags);

}  // namespace agdf::client
