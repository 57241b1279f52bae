#pragma once
/// The token file (`--tokens FILE`): one JSON object per line naming a principal, its
/// role and a salted SHA-256 hash of its token; the token itself is never stored.
///
///   {"name":"alice","role":"submitter","id":"5f1c0e2a9b3d","salt":"<32 hex>","sha256":"<64 hex>"}
///
/// A token reads `agdf_<id>_<secret>` (id: 12 hex digits, public, finds the line;
/// secret: 64 hex digits from a CSPRNG) and `sha256` is hex(SHA-256(salt bytes || token)).
/// Blank lines and lines starting with `#` are ignored.

#include <array>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "agdf/auth/roles.hpp"

namespace agdf::auth {

/// One line of the file.
struct TokenEntry {
  std::string name;
  Role role = Role::reader;
  std::string id;          ///< 12 hex digits, unique in the file
  std::string salt_hex;    ///< 16 random bytes
  std::string sha256_hex;  ///< SHA-256 of the salt bytes followed by the token
};

/// A token just made: the secret to hand to its owner (once) and the line to store.
struct IssuedToken {
  std::string token;
  TokenEntry entry;
};

/// Makes a token for `name` with `role` from OpenSSL's CSPRNG; throws std::runtime_error
/// when the generator fails.
IssuedToken issue_token(std::string name, Role role);

/// The entry as one line of the file (no newline).
std::string to_json_line(const TokenEntry& entry);

/// Why `name` cannot name a principal (1-64 of A-Z a-z 0-9 . _ @ -), or nullopt.
std::optional<std::string> name_problem(std::string_view name);

/// The principals of a token file, ready to check tokens against. Immutable.
class TokenTable {
 public:
  /// A table, or every problem of the text (each with its line number; no secret in them).
  struct Parsed;
  static Parsed parse(std::string_view text);
  static Parsed load(const std::filesystem::path& path);

  /// The principal whose token this is, or nullopt. Takes the same time whether the id
  /// is known or not, and compares hashes in constant time (CRYPTO_memcmp).
  std::optional<Principal> verify(std::string_view token) const;

  std::size_t size() const noexcept { return by_id_.size(); }
  /// Every principal with its token id, by name.
  std::vector<std::pair<Principal, std::string>> principals() const;
  /// True when a principal called `name` is in the table.
  bool has_name(std::string_view name) const;

 private:
  struct Stored {
    Principal principal;
    std::array<unsigned char, 16> salt;
    std::array<unsigned char, 32> hash;
  };
  std::unordered_map<std::string, Stored> by_id_;
};

struct TokenTable::Parsed {
  std::optional<TokenTable> table;
  std::vector<std::string> problems;
};

/// Appends a new principal to `path` (creating it with mode 0600) and returns its token;
/// or why not (a bad name, a name already there, an unreadable or invalid file).
struct AddResult {
  std::optional<IssuedToken> issued;
  std::string problem;
};
AddResult add_principal(const std::filesystem::path& path, const std::string& name, Role role);

}  // namespace agdf::auth
