#pragma once
/// How the HTTP port decides who may do what: every route names the agdf.v1.Agdf RPC it
/// stands for ("GetRun", "SubmitRun", ...; /metrics stands for "ListRuns", a read), and
/// one function judges the request's `Authorization` header against that RPC, the same
/// judgement the gRPC port makes. The daemon points it at its token check; without one,
/// everything is allowed.

#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace agdf::http {

struct AuthResult {
  bool allowed = true;
  unsigned status = 200;  ///< 401 (no or unknown credentials) or 403 (not allowed) when refused
  std::string message;    ///< why, when refused; never contains the credentials
  std::string principal;  ///< who, when known (empty: anonymous)

  static AuthResult allow(std::string principal = {}) {
    return {true, 200, {}, std::move(principal)};
  }
  static AuthResult unauthenticated(std::string why) { return {false, 401, std::move(why), {}}; }
  static AuthResult forbidden(std::string why) { return {false, 403, std::move(why), {}}; }
};

/// `authorization`: the header's value (nullopt when absent); `rpc`: the method name.
using Authorize =
    std::function<AuthResult(std::optional<std::string_view> authorization, std::string_view rpc)>;

/// Allows every request (a daemon without tokens).
Authorize allow_everyone();

/// Allows requests carrying `Authorization: Bearer TOKEN` for one of `tokens` (compared in
/// constant time); for tests and for daemons with a single shared token.
Authorize bearer_tokens(std::vector<std::string> tokens);

}  // namespace agdf::http
