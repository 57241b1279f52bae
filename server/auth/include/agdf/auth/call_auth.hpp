#pragma once
/// The check every agdf.v1.Agdf call goes through: who is calling (the
/// `authorization: Bearer TOKEN` metadata against the token file) and whether the
/// caller's role has the right the RPC needs (rpc_rights()). Without a token file every
/// caller is the anonymous admin. No message ever contains a token.

#include <atomic>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <grpcpp/grpcpp.h>

#include "agdf/auth/roles.hpp"
#include "agdf/auth/token_file.hpp"

namespace agdf::auth {

/// The caller of an admitted call, or the status to refuse it with.
struct Admission {
  std::optional<Principal> principal;
  grpc::Status status;  ///< OK when admitted; UNAUTHENTICATED or PERMISSION_DENIED otherwise

  explicit operator bool() const noexcept { return principal.has_value(); }
};

class CallAuthenticator {
 public:
  /// No token file: every caller is admitted as the anonymous admin.
  CallAuthenticator() = default;
  /// Tokens from `file`; nullptr and the file's problems when it cannot be used.
  static std::unique_ptr<CallAuthenticator> from_file(const std::filesystem::path& file,
                                                      std::vector<std::string>& problems);

  /// True when calls need a token.
  bool enabled() const noexcept { return !file_.empty(); }
  /// Principals in the token file as last loaded.
  std::size_t principals() const;

  /// Reads the token file again (SIGHUP). On problems the current principals stay and the
  /// problems are returned; an empty result means the new file is in use.
  std::vector<std::string> reload();

  /// The caller of `rpc` from the call's metadata.
  Admission admit(const grpc::ServerContextBase& context, std::string_view rpc) const;
  /// The same from the value of the `authorization` metadata (nullopt: none was sent).
  Admission admit(std::optional<std::string_view> authorization, std::string_view rpc) const;

 private:
  std::filesystem::path file_;
  std::atomic<std::shared_ptr<const TokenTable>> table_;
};

/// OK when `principal` may cancel a run submitted by `owner`: its own run with
/// cancel_own, anybody's with cancel_any; PERMISSION_DENIED naming the missing right
/// otherwise.
grpc::Status may_cancel(const Principal& principal, const std::string& owner,
                        const std::string& run_id);

}  // namespace agdf::auth
