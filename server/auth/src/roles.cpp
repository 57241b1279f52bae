#include "agdf/auth/roles.hpp"

#include <array>
#include <utility>

namespace agdf::auth {
namespace {

constexpr std::uint8_t bits(std::initializer_list<Right> rights) {
  std::uint8_t mask = 0;
  for (Right r : rights) mask |= static_cast<std::uint8_t>(r);
  return mask;
}

struct RoleRow {
  Role role;
  std::string_view name;
  std::uint8_t rights;
};

/// The roles of issue 13; README "Security" shows the same table.
constexpr std::array kRoles{
    RoleRow{Role::reader, "reader", bits({Right::read})},
    RoleRow{Role::submitter, "submitter", bits({Right::read, Right::submit, Right::cancel_own})},
    RoleRow{Role::admin, "admin",
            bits({Right::read, Right::submit, Right::cancel_own, Right::cancel_any,
                  Right::register_functions})},
    RoleRow{Role::worker, "worker", bits({Right::register_functions})},
};

}  // namespace

std::string_view right_name(Right right) noexcept {
  switch (right) {
    case Right::read:
      return "read";
    case Right::submit:
      return "submit";
    case Right::cancel_own:
      return "cancel_own";
    case Right::cancel_any:
      return "cancel_any";
    case Right::register_functions:
      return "register_functions";
  }
  return "unknown";
}

std::string_view role_name(Role role) noexcept {
  for (const auto& row : kRoles)
    if (row.role == role) return row.name;
  return "unknown";
}

std::optional<Role> parse_role(std::string_view name) noexcept {
  for (const auto& row : kRoles)
    if (row.name == name) return row.role;
  return std::nullopt;
}

bool role_has(Role role, Right right) noexcept {
  for (const auto& row : kRoles)
    if (row.role == role) return (row.rights & static_cast<std::uint8_t>(right)) != 0;
  return false;
}

}  // namespace agdf::auth
