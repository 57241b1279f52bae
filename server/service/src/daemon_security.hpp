#pragma once
// The daemon's security settings made ready to use, each checked first: the token file,
// TLS, the listen address against the tokens, and the egress policy. Every problem is
// logged; SIGHUP reloads what can be reloaded.

#include <memory>
#include <optional>

#include <grpcpp/security/server_credentials.h>

#include "agdf/auth/call_auth.hpp"
#include "agdf/auth/server_tls.hpp"
#include "agdf/nodes/egress_policy.hpp"
#include "agdf/service/daemon.hpp"

namespace agdf::service {

struct DaemonSecurity {
  std::unique_ptr<auth::CallAuthenticator> auth;  ///< null: no tokens
  std::unique_ptr<auth::ServerTls> tls;           ///< null: plain text
  std::shared_ptr<const EgressPolicy> egress;
  bool loopback = true;  ///< the listen address is loopback-only

  /// Credentials for the gRPC port: TLS, or plain text.
  std::shared_ptr<grpc::ServerCredentials> credentials() const;
  /// SIGHUP: reads certificates and tokens again; logs what changed or went wrong.
  void reload() const;
  /// The start-up log lines that say how exposed the daemon is (loudly when it is).
  void log_exposure(const std::string& address) const;
};

/// Checks and loads; nullopt after logging every problem.
std::optional<DaemonSecurity> prepare_security(const DaemonOptions& options);

}  // namespace agdf::service
