#include "agdf/auth/server_tls.hpp"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include <grpc/grpc.h>
#include <grpc/grpc_security.h>
#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

namespace agdf::auth {
namespace {

struct Pem {
  std::string cert;
  std::string key;
  std::string client_ca;
};

std::optional<std::string> read_file(const std::filesystem::path& path, std::string& text) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return "cannot read " + path.string() + ": " + std::strerror(errno);
  std::ostringstream buffer;
  buffer << in.rdbuf();
  text = buffer.str();
  return std::nullopt;
}

using Bio = std::unique_ptr<BIO, decltype(&BIO_free)>;
using X509Ptr = std::unique_ptr<X509, decltype(&X509_free)>;
using KeyPtr = std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)>;

Bio memory_bio(const std::string& text) {
  return Bio(BIO_new_mem_buf(text.data(), static_cast<int>(text.size())), &BIO_free);
}

X509Ptr first_certificate(const std::string& pem) {
  auto bio = memory_bio(pem);
  return X509Ptr(bio ? PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr) : nullptr,
                 &X509_free);
}

/// Checks what gRPC would otherwise only find out at the first handshake.
std::optional<std::string> check(const TlsFiles& files, const Pem& pem) {
  ERR_clear_error();
  X509Ptr cert = first_certificate(pem.cert);
  if (!cert) return files.cert.string() + " holds no PEM certificate";
  auto key_bio = memory_bio(pem.key);
  KeyPtr key(key_bio ? PEM_read_bio_PrivateKey(key_bio.get(), nullptr, nullptr, nullptr) : nullptr,
             &EVP_PKEY_free);
  if (!key) return files.key.string() + " holds no PEM private key (or it is encrypted)";
  if (X509_check_private_key(cert.get(), key.get()) != 1)
    return "the key in " + files.key.string() + " does not match the certificate in " +
           files.cert.string();
  if (!files.client_ca.empty() && !first_certificate(pem.client_ca))
    return files.client_ca.string() + " holds no PEM certificate";
  ERR_clear_error();
  return std::nullopt;
}

/// gRPC's C credentials as the C++ ServerCredentials ServerBuilder takes.
class CoreServerCredentials final : public grpc::ServerCredentials {
 public:
  explicit CoreServerCredentials(grpc_server_credentials* creds) : creds_(creds) {}
  ~CoreServerCredentials() override { grpc_server_credentials_release(creds_); }

  void SetAuthMetadataProcessor(const std::shared_ptr<grpc::AuthMetadataProcessor>&) override {}

 private:
  int AddPortToServer(const std::string& addr, grpc_server* server) override {
    return grpc_server_add_http2_port(server, addr.c_str(), creds_);
  }

  grpc_server_credentials* creds_;
};

}  // namespace

std::unique_ptr<ServerTls> ServerTls::load(TlsFiles files, std::string& problem) {
  std::unique_ptr<ServerTls> tls(new ServerTls(std::move(files)));
  if (auto failed = tls->reload()) {
    problem = *failed;
    return nullptr;
  }
  return tls;
}

ServerTls::~ServerTls() {
  if (pending_) grpc_ssl_server_certificate_config_destroy(pending_);
}

std::optional<std::string> ServerTls::reload() {
  Pem pem;
  if (auto problem = read_file(files_.cert, pem.cert)) return problem;
  if (auto problem = read_file(files_.key, pem.key)) return problem;
  if (!files_.client_ca.empty())
    if (auto problem = read_file(files_.client_ca, pem.client_ca)) return problem;
  if (auto problem = check(files_, pem)) return problem;

  grpc_ssl_pem_key_cert_pair pair{pem.key.c_str(), pem.cert.c_str()};
  // gRPC 1.51 asserts that a fetched config has root certificates even when no client
  // certificate is asked for; then they are never used, and the server's own chain will do.
  grpc_ssl_server_certificate_config* config = grpc_ssl_server_certificate_config_create(
      files_.client_ca.empty() ? pem.cert.c_str() : pem.client_ca.c_str(), &pair, 1);
  // The key's text is no longer needed: do not leave it lying in freed memory.
  OPENSSL_cleanse(pem.key.data(), pem.key.size());
  std::lock_guard lock(mutex_);
  if (pending_) grpc_ssl_server_certificate_config_destroy(pending_);
  pending_ = config;
  return std::nullopt;
}

int ServerTls::fetch(void* self, grpc_ssl_server_certificate_config** config) {
  auto* tls = static_cast<ServerTls*>(self);
  std::lock_guard lock(tls->mutex_);
  if (!tls->pending_) return GRPC_SSL_CERTIFICATE_CONFIG_RELOAD_UNCHANGED;
  *config = tls->pending_;  // gRPC owns it from here
  tls->pending_ = nullptr;
  return GRPC_SSL_CERTIFICATE_CONFIG_RELOAD_NEW;
}

std::shared_ptr<grpc::ServerCredentials> ServerTls::credentials() {
  const auto request = mutual() ? GRPC_SSL_REQUEST_AND_REQUIRE_CLIENT_CERTIFICATE_AND_VERIFY
                                : GRPC_SSL_DONT_REQUEST_CLIENT_CERTIFICATE;
  grpc_ssl_server_credentials_options* options =
      grpc_ssl_server_credentials_create_options_using_config_fetcher(
          request,
          [](void* self, grpc_ssl_server_certificate_config** config) {
            return static_cast<grpc_ssl_certificate_config_reload_status>(fetch(self, config));
          },
          this);
  return std::make_shared<CoreServerCredentials>(
      grpc_ssl_server_credentials_create_with_options(options));
}

}  // namespace agdf::auth
