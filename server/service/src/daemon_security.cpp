#include "daemon_security.hpp"

#include "agdf/auth/exposure.hpp"
#include "agdf/service/log.hpp"

namespace agdf::service {
namespace {

std::string joined(const std::vector<std::string>& items) {
  std::string text;
  for (const auto& item : items) text += (text.empty() ? "" : ",") + item;
  return text;
}

bool load_tokens(const DaemonOptions& options, DaemonSecurity& security) {
  if (options.tokens.empty()) return true;
  std::vector<std::string> problems;
  security.auth = auth::CallAuthenticator::from_file(options.tokens, problems);
  for (const auto& problem : problems)
    log(LogLevel::error, "bad token file", {{"problem", problem}});
  return security.auth != nullptr;
}

bool load_tls(const DaemonOptions& options, DaemonSecurity& security) {
  const auto& tls = options.tls;
  if (tls.cert.empty() && tls.key.empty()) {
    if (tls.client_ca.empty()) return true;
    log(LogLevel::error, "--tls-client-ca needs --tls-cert and --tls-key");
    return false;
  }
  if (tls.cert.empty() || tls.key.empty()) {
    log(LogLevel::error, "--tls-cert and --tls-key go together");
    return false;
  }
  std::string problem;
  security.tls = auth::ServerTls::load(tls, problem);
  if (!security.tls) log(LogLevel::error, "cannot use the TLS files", {{"problem", problem}});
  return security.tls != nullptr;
}

bool check_exposure(const DaemonOptions& options, DaemonSecurity& security) {
  security.loopback = auth::loopback_only(options.listen);
  if (security.loopback || security.auth || options.insecure_listen_anywhere) return true;
  log(LogLevel::error,
      "refusing to listen beyond loopback without --tokens: anyone who can reach the port could "
      "run graphs, read and write the data directory and make the daemon fetch URLs; give "
      "--tokens FILE, or --insecure-listen-anywhere to accept that",
      {{"address", options.listen}});
  return false;
}

bool make_egress(const DaemonOptions& options, DaemonSecurity& security) {
  std::vector<std::string> problems;
  auto policy = EgressPolicy::parse(options.http_allow, problems);
  for (const auto& problem : problems)
    log(LogLevel::error, "bad --http-allow", {{"problem", problem}});
  if (!policy) return false;
  security.egress = std::make_shared<const EgressPolicy>(std::move(*policy));
  return true;
}

}  // namespace

std::optional<DaemonSecurity> prepare_security(const DaemonOptions& options) {
  DaemonSecurity security;
  // Each check logs its own problems; all of them run so one start reports every problem.
  const bool tokens_ok = load_tokens(options, security);
  const bool tls_ok = load_tls(options, security);
  const bool egress_ok = make_egress(options, security);
  const bool exposure_ok = !tokens_ok || check_exposure(options, security);
  if (!tokens_ok || !tls_ok || !egress_ok || !exposure_ok) return std::nullopt;
  return security;
}

std::shared_ptr<grpc::ServerCredentials> DaemonSecurity::credentials() const {
  return tls ? tls->credentials() : grpc::InsecureServerCredentials();
}

void DaemonSecurity::reload() const {
  if (!tls && !auth) {
    log(LogLevel::info, "SIGHUP: nothing to reload (no --tls-cert, no --tokens)");
    return;
  }
  if (tls) {
    if (auto problem = tls->reload())
      log(LogLevel::error, "SIGHUP: TLS files not reloaded, the current ones stay in use",
          {{"problem", *problem}});
    else
      log(LogLevel::info, "SIGHUP: TLS certificates reloaded; new connections use them",
          {{"cert", tls->files().cert.string()}});
  }
  if (auth) {
    auto problems = auth->reload();
    for (const auto& problem : problems)
      log(LogLevel::error, "SIGHUP: token file not reloaded, the current principals stay",
          {{"problem", problem}});
    if (problems.empty())
      log(LogLevel::info, "SIGHUP: token file reloaded", {{"principals", auth->principals()}});
  }
}

void DaemonSecurity::log_exposure(const std::string& address) const {
  if (auth)
    log(LogLevel::info, "tokens required", {{"principals", auth->principals()}});
  else if (loopback)
    log(LogLevel::warn,
        "NO TOKENS: every caller may do everything; listening on loopback only (give --tokens "
        "FILE to listen elsewhere)",
        {{"address", address}});
  else
    log(LogLevel::error,
        "INSECURE: NO TOKENS AND NOT LOOPBACK (--insecure-listen-anywhere): anyone who can reach "
        "this port can run graphs, read and write the data directory, and cancel any run",
        {{"address", address}});
  if (tls)
    log(LogLevel::info, "TLS on", {{"mutual", tls->mutual() ? "yes" : "no"}});
  else if (!loopback)
    log(LogLevel::warn,
        "NO TLS: calls and their tokens cross the network in plain text (give "
        "--tls-cert and --tls-key)");
  if (egress->allows_everything())
    log(LogLevel::warn, "egress policy allows every destination (--http-allow *)");
  else
    log(LogLevel::info, "egress policy: internal addresses refused to network functions",
        {{"http_allow", egress->allowed().empty() ? "-" : joined(egress->allowed())}});
}

}  // namespace agdf::service
