#include "auth/test_pki.hpp"

#include <stdlib.h>

#include <fstream>
#include <sstream>
#include <stdexcept>

#include "support/child_process.hpp"

namespace agdf::auth_test {
namespace {

void openssl(const std::vector<std::string>& args) {
  std::vector<std::string> argv{"/usr/bin/openssl"};
  argv.insert(argv.end(), args.begin(), args.end());
  const auto result = testing::run_to_end(argv, std::chrono::seconds(60));
  if (result.exit_code != 0)
    throw std::runtime_error("openssl " + args.front() + " failed: " + result.err);
}

void write_text(const std::filesystem::path& path, const std::string& text) {
  std::ofstream(path) << text;
}

}  // namespace

TestPki::TestPki() {
  std::string pattern = (std::filesystem::temp_directory_path() / "agdf-pki-XXXXXX").string();
  if (!mkdtemp(pattern.data())) throw std::runtime_error("mkdtemp failed");
  dir_ = pattern;
  make_ca("ca");
  make_ca("other-ca");
  make_leaf("server", "ca", "serverAuth");
  make_leaf("client", "ca", "clientAuth");
  make_leaf("other-server", "other-ca", "serverAuth");
  make_leaf("other-client", "other-ca", "clientAuth");
}

TestPki::~TestPki() {
  std::error_code ec;
  std::filesystem::remove_all(dir_, ec);
}

void TestPki::make_ca(const std::string& name) {
  openssl({"req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
           "-keyout", path(name + ".key"), "-out", path(name + ".crt"), "-days", "2", "-subj",
           "/CN=agdf test " + name});
}

void TestPki::make_leaf(const std::string& name, const std::string& ca, const std::string& usage) {
  const std::string ext = path(name + ".ext");
  write_text(ext, "subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=" + usage +
                      "\nbasicConstraints=CA:FALSE\n");
  openssl({"req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout",
           path(name + ".key"), "-out", path(name + ".csr"), "-subj", "/CN=agdf test " + name});
  openssl({"x509", "-req", "-in", path(name + ".csr"), "-CA", path(ca + ".crt"), "-CAkey",
           path(ca + ".key"), "-CAcreateserial", "-out", path(name + ".crt"), "-days", "2",
           "-extfile", ext});
}

std::string read_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace agdf::auth_test
