#pragma once
/// What a caller may do: rights, the four roles that bundle them, and the principal a
/// call is made by. Plain data; no gRPC here.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace agdf::auth {

/// One thing a caller may be allowed to do.
enum class Right : std::uint8_t {
  read = 1 << 0,                ///< functions, validate, get, list, watch
  submit = 1 << 1,              ///< start runs
  cancel_own = 1 << 2,          ///< cancel runs one submitted
  cancel_any = 1 << 3,          ///< cancel anybody's run
  register_functions = 1 << 4,  ///< a worker offering functions
};

/// A named bundle of rights.
enum class Role : std::uint8_t { reader, submitter, admin, worker };

/// "read", "submit", "cancel_own", "cancel_any", "register_functions".
std::string_view right_name(Right right) noexcept;

/// "reader", "submitter", "admin", "worker".
std::string_view role_name(Role role) noexcept;

/// The role called `name`; nullopt for anything else.
std::optional<Role> parse_role(std::string_view name) noexcept;

/// True when `role` carries `right`.
bool role_has(Role role, Right right) noexcept;

/// Who makes a call: a named principal from the token file, or, on a daemon without
/// tokens, the anonymous caller, who may do everything.
struct Principal {
  std::string name;  ///< empty for the anonymous caller
  Role role = Role::admin;

  bool has(Right right) const noexcept { return role_has(role, right); }
  bool anonymous() const noexcept { return name.empty(); }
};

}  // namespace agdf::auth
