#pragma once
/// TLS on the daemon's gRPC port, with certificates that can be replaced while it runs:
/// reload() reads the files again (the daemon calls it on SIGHUP) and every handshake
/// after that uses them, while connections already open, and the runs behind them, go
/// on untouched. Built on gRPC's SSL certificate-config fetcher (grpc_security.h), which
/// gRPC consults before each handshake.

#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include <grpcpp/security/server_credentials.h>

struct grpc_ssl_server_certificate_config;

namespace agdf::auth {

/// The PEM files: the server's certificate chain and key, and optionally the CA that
/// client certificates must chain to (mutual TLS: a client without one is refused).
struct TlsFiles {
  std::filesystem::path cert;
  std::filesystem::path key;
  std::filesystem::path client_ca;  ///< empty: no client certificate asked for
};

class ServerTls {
 public:
  /// Reads and checks the files (the key must match the certificate); nullptr and why not
  /// when they cannot be used.
  static std::unique_ptr<ServerTls> load(TlsFiles files, std::string& problem);
  ~ServerTls();
  ServerTls(const ServerTls&) = delete;
  ServerTls& operator=(const ServerTls&) = delete;

  /// Credentials for ServerBuilder::AddListeningPort; they refer to this object, which
  /// must outlive the server.
  std::shared_ptr<grpc::ServerCredentials> credentials();

  /// Reads the files again; new handshakes use them. On a problem the current
  /// certificates stay in use and the problem is returned.
  std::optional<std::string> reload();

  bool mutual() const noexcept { return !files_.client_ca.empty(); }
  const TlsFiles& files() const noexcept { return files_; }

 private:
  explicit ServerTls(TlsFiles files) : files_(std::move(files)) {}
  static int fetch(void* self, grpc_ssl_server_certificate_config** config);

  const TlsFiles files_;
  std::mutex mutex_;
  grpc_ssl_server_certificate_config* pending_ = nullptr;  ///< handed to gRPC at its next fetch
};

}  // namespace agdf::auth
