#pragma once
/// A throwaway PKI made at test time with the `openssl` command, in a fresh temporary
/// directory removed afterwards: two unrelated CAs, and from each a server certificate
/// (for localhost and 127.0.0.1) and a client certificate.

#include <filesystem>
#include <string>

namespace agdf::auth_test {

class TestPki {
 public:
  TestPki();  ///< throws std::runtime_error when openssl fails
  ~TestPki();
  TestPki(const TestPki&) = delete;
  TestPki& operator=(const TestPki&) = delete;

  /// The file `name` in the PKI's directory. Made: ca.crt, server.crt, server.key,
  /// client.crt, client.key (signed by ca), and other-ca.crt, other-server.crt,
  /// other-server.key, other-client.crt, other-client.key (signed by other-ca).
  std::string path(const std::string& name) const { return (dir_ / name).string(); }
  const std::filesystem::path& dir() const noexcept { return dir_; }

 private:
  void make_ca(const std::string& name);
  void make_leaf(const std::string& name, const std::string& ca, const std::string& usage);

  std::filesystem::path dir_;
};

/// The whole text of a file.
std::string read_text(const std::string& path);

}  // namespace agdf::auth_test
