#include "agdf/auth/token_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <nlohmann/json.hpp>

namespace agdf::auth {
namespace {

constexpr std::string_view kPrefix = "agdf_";
constexpr std::size_t kIdBytes = 6;
constexpr std::size_t kSecretBytes = 32;
constexpr std::size_t kTokenChars = kPrefix.size() + 2 * kIdBytes + 1 + 2 * kSecretBytes;

std::string to_hex(const unsigned char* data, std::size_t size) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string hex;
  hex.reserve(size * 2);
  for (std::size_t i = 0; i < size; ++i) {
    hex += kDigits[data[i] >> 4];
    hex += kDigits[data[i] & 0xf];
  }
  return hex;
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

/// Lower-case hex of exactly N bytes into `out`; false otherwise.
template <std::size_t N>
bool from_hex(std::string_view hex, std::array<unsigned char, N>& out) {
  if (hex.size() != 2 * N) return false;
  for (std::size_t i = 0; i < N; ++i) {
    const int hi = hex_value(hex[2 * i]);
    const int lo = hex_value(hex[2 * i + 1]);
    if (hi < 0 || lo < 0) return false;
    out[i] = static_cast<unsigned char>(hi << 4 | lo);
  }
  return true;
}

bool is_hex(std::string_view text, std::size_t chars) {
  if (text.size() != chars) return false;
  for (char c : text)
    if (hex_value(c) < 0) return false;
  return true;
}

template <std::size_t N>
std::array<unsigned char, N> random_bytes() {
  std::array<unsigned char, N> bytes{};
  if (RAND_bytes(bytes.data(), static_cast<int>(N)) != 1)
    throw std::runtime_error("the system's random generator failed");
  return bytes;
}

std::array<unsigned char, 32> salted_hash(const std::array<unsigned char, 16>& salt,
                                          std::string_view token) {
  // Fetched once: OpenSSL 3 would otherwise look the algorithm up on every call, which costs
  // more than the hash itself.
  static EVP_MD* const sha256 = EVP_MD_fetch(nullptr, "SHA256", nullptr);
  std::array<unsigned char, 32> digest{};
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  unsigned int size = 0;
  const bool ok = sha256 != nullptr && ctx != nullptr &&
                  EVP_DigestInit_ex(ctx, sha256, nullptr) == 1 &&
                  EVP_DigestUpdate(ctx, salt.data(), salt.size()) == 1 &&
                  EVP_DigestUpdate(ctx, token.data(), token.size()) == 1 &&
                  EVP_DigestFinal_ex(ctx, digest.data(), &size) == 1;
  EVP_MD_CTX_free(ctx);
  if (!ok) throw std::runtime_error("SHA-256 failed");
  return digest;
}

/// The id part of a well-formed token; nullopt for anything else.
std::optional<std::string_view> token_id(std::string_view token) {
  if (token.size() != kTokenChars || !token.starts_with(kPrefix)) return std::nullopt;
  const std::string_view id = token.substr(kPrefix.size(), 2 * kIdBytes);
  const std::string_view rest = token.substr(kPrefix.size() + 2 * kIdBytes);
  if (!is_hex(id, 2 * kIdBytes) || rest[0] != '_' || !is_hex(rest.substr(1), 2 * kSecretBytes))
    return std::nullopt;
  return id;
}

std::string read_text(const std::filesystem::path& path, std::string& problem) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    problem = "cannot read the token file " + path.string() + ": " + std::strerror(errno);
    return {};
  }
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace

IssuedToken issue_token(std::string name, Role role) {
  const auto id = random_bytes<kIdBytes>();
  const auto secret = random_bytes<kSecretBytes>();
  const auto salt = random_bytes<16>();
  IssuedToken issued;
  issued.entry.name = std::move(name);
  issued.entry.role = role;
  issued.entry.id = to_hex(id.data(), id.size());
  issued.token =
      std::string(kPrefix) + issued.entry.id + "_" + to_hex(secret.data(), secret.size());
  issued.entry.salt_hex = to_hex(salt.data(), salt.size());
  const auto hash = salted_hash(salt, issued.token);
  issued.entry.sha256_hex = to_hex(hash.data(), hash.size());
  return issued;
}

std::string to_json_line(const TokenEntry& entry) {
  nlohmann::ordered_json line{{"name", entry.name},
                              {"role", std::string(role_name(entry.role))},
                              {"id", entry.id},
                              {"salt", entry.salt_hex},
                              {"sha256", entry.sha256_hex}};
  return line.dump();
}

std::optional<std::string> name_problem(std::string_view name) {
  if (name.empty() || name.size() > 64) return "a principal's name must have 1 to 64 characters";
  for (char c : name) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '.' || c == '_' || c == '@' || c == '-';
    if (!ok) return "a principal's name may only hold A-Z a-z 0-9 . _ @ -";
  }
  return std::nullopt;
}

TokenTable::Parsed TokenTable::parse(std::string_view text) {
  Parsed parsed;
  TokenTable table;
  std::size_t number = 0;
  while (!text.empty()) {
    const auto end = text.find('\n');
    std::string_view line = text.substr(0, end);
    text = end == std::string_view::npos ? std::string_view{} : text.substr(end + 1);
    ++number;
    while (!line.empty() && (line.back() == '\r' || line.back() == ' ' || line.back() == '\t'))
      line.remove_suffix(1);
    while (!line.empty() && (line.front() == ' ' || line.front() == '\t')) line.remove_prefix(1);
    if (line.empty() || line.front() == '#') continue;

    const std::string where = "line " + std::to_string(number) + ": ";
    const auto json = nlohmann::json::parse(line, nullptr, /*allow_exceptions=*/false);
    if (!json.is_object()) {
      parsed.problems.push_back(where + "not a JSON object");
      continue;
    }
    const auto text_of = [&](const char* key) -> std::string {
      auto it = json.find(key);
      return it != json.end() && it->is_string() ? it->get<std::string>() : std::string();
    };
    for (const auto& [key, value] : json.items())
      if (key != "name" && key != "role" && key != "id" && key != "salt" && key != "sha256")
        parsed.problems.push_back(where + "unknown key '" + key + "'");
    Stored stored;
    stored.principal.name = text_of("name");
    const auto role = parse_role(text_of("role"));
    const std::string id = text_of("id");
    if (auto problem = name_problem(stored.principal.name))
      parsed.problems.push_back(where + *problem);
    else if (table.has_name(stored.principal.name))
      parsed.problems.push_back(where + "principal '" + stored.principal.name + "' appears twice");
    if (!role)
      parsed.problems.push_back(where + "role must be reader, submitter, admin or worker");
    else
      stored.principal.role = *role;
    if (!is_hex(id, 2 * kIdBytes))
      parsed.problems.push_back(where + "id must be 12 lower-case hex digits");
    else if (table.by_id_.contains(id))
      parsed.problems.push_back(where + "id " + id + " appears twice");
    if (!from_hex(text_of("salt"), stored.salt))
      parsed.problems.push_back(where + "salt must be 32 lower-case hex digits");
    if (!from_hex(text_of("sha256"), stored.hash))
      parsed.problems.push_back(where + "sha256 must be 64 lower-case hex digits");
    if (parsed.problems.empty()) table.by_id_.emplace(id, std::move(stored));
  }
  if (parsed.problems.empty()) parsed.table = std::move(table);
  return parsed;
}

TokenTable::Parsed TokenTable::load(const std::filesystem::path& path) {
  std::string problem;
  const std::string text = read_text(path, problem);
  if (!problem.empty()) return {std::nullopt, {problem}};
  Parsed parsed = parse(text);
  for (auto& p : parsed.problems) p = path.string() + ": " + p;
  return parsed;
}

std::vector<std::pair<Principal, std::string>> TokenTable::principals() const {
  std::vector<std::pair<Principal, std::string>> all;
  for (const auto& [id, stored] : by_id_) all.emplace_back(stored.principal, id);
  std::sort(all.begin(), all.end(),
            [](const auto& a, const auto& b) { return a.first.name < b.first.name; });
  return all;
}

bool TokenTable::has_name(std::string_view name) const {
  for (const auto& [id, stored] : by_id_)
    if (stored.principal.name == name) return true;
  return false;
}

std::optional<Principal> TokenTable::verify(std::string_view token) const {
  // An unknown or malformed token is hashed and compared all the same, against a
  // stand-in, so a caller cannot tell from the time taken whether an id exists.
  static const Stored kStandIn{};
  const auto id = token_id(token);
  auto it = id ? by_id_.find(std::string(*id)) : by_id_.end();
  const Stored& stored = it == by_id_.end() ? kStandIn : it->second;
  const auto hash = salted_hash(stored.salt, token);
  const bool equal = CRYPTO_memcmp(hash.data(), stored.hash.data(), hash.size()) == 0;
  if (it == by_id_.end() || !equal) return std::nullopt;
  return stored.principal;
}

AddResult add_principal(const std::filesystem::path& path, const std::string& name, Role role) {
  if (auto problem = name_problem(name)) return {std::nullopt, *problem};
  std::error_code ec;
  if (std::filesystem::exists(path, ec)) {
    auto existing = TokenTable::load(path);
    if (!existing.table) {
      std::string all;
      for (const auto& p : existing.problems) all += (all.empty() ? "" : "\n") + p;
      return {std::nullopt, all};
    }
    if (existing.table->has_name(name))
      return {std::nullopt, "principal '" + name + "' is already in " + path.string() +
                                "; remove its line first to issue it a new token"};
  }
  IssuedToken issued = issue_token(name, role);
  const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
  if (fd < 0)
    return {std::nullopt,
            "cannot write the token file " + path.string() + ": " + std::strerror(errno)};
  // A file that does not end with a newline gets one first, so lines never run together.
  std::string line = to_json_line(issued.entry) + "\n";
  struct stat st {};
  if (::fstat(fd, &st) == 0 && st.st_size > 0) {
    char last = '\n';
    if (::pread(fd, &last, 1, st.st_size - 1) == 1 && last != '\n') line.insert(0, "\n");
  }
  const bool written = ::write(fd, line.data(), line.size()) == static_cast<ssize_t>(line.size());
  const int saved = errno;
  ::close(fd);
  if (!written)
    return {std::nullopt,
            "cannot write the token file " + path.string() + ": " + std::strerror(saved)};
  return {std::move(issued), {}};
}

}  // namespace agdf::auth
