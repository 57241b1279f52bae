#include "agdf/client/connection.hpp"

#include <cctype>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "token_interceptor.hpp"

namespace agdf::client {
namespace {

/// Replies (a page of runs with their stats and errors) may exceed gRPC's 4 MB default.
constexpr int kMaxReceiveBytes = 256 * 1024 * 1024;

std::string env(const char* name) {
  const char* value = std::getenv(name);
  return value ? value : "";
}

void fill(std::string& field, const char* name) {
  if (field.empty()) field = env(name);
}

std::string read_file(const std::string& path, const char* what) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw ConnectionError("cannot read the " + std::string(what) + " " + path);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

std::shared_ptr<grpc::ChannelCredentials> credentials(const ConnectionOptions& options,
                                                      grpc::ChannelArguments& args) {
  if (!options.uses_tls()) return grpc::InsecureChannelCredentials();
  if (options.tls_client_cert.empty() != options.tls_client_key.empty())
    throw ConnectionError("--tls-client-cert and --tls-client-key go together");
  grpc::SslCredentialsOptions ssl;
  if (!options.tls_ca.empty()) ssl.pem_root_certs = read_file(options.tls_ca, "--tls-ca file");
  if (!options.tls_client_cert.empty()) {
    ssl.pem_cert_chain = read_file(options.tls_client_cert, "--tls-client-cert file");
    ssl.pem_private_key = read_file(options.tls_client_key, "--tls-client-key file");
  }
  if (!options.tls_server_name.empty()) args.SetSslTargetNameOverride(options.tls_server_name);
  return grpc::SslCredentials(ssl);
}

}  // namespace

Connection::Connection(std::string address) : Connection(ConnectionOptions{std::move(address)}) {}

Connection::Connection(const ConnectionOptions& options) : address_(options.address) {
  grpc::ChannelArguments args;
  args.SetMaxReceiveMessageSize(kMaxReceiveBytes);
  auto creds = credentials(options, args);
  if (options.token.empty()) {
    channel_ = grpc::CreateCustomChannel(address_, creds, args);
  } else {
    std::vector<std::unique_ptr<grpc::experimental::ClientInterceptorFactoryInterface>> hooks;
    hooks.push_back(std::make_unique<TokenInterceptorFactory>(options.token));
    channel_ = grpc::experimental::CreateCustomChannelWithInterceptors(address_, creds, args,
                                                                       std::move(hooks));
  }
  agdf_ = v1::Agdf::NewStub(channel_);
  health_ = grpc::health::v1::Health::NewStub(channel_);
}

void Connection::set_deadline(grpc::ClientContext& context, std::chrono::milliseconds timeout) {
  context.set_deadline(std::chrono::system_clock::now() + timeout);
}

std::string resolve_server_address(const std::string& flag_value) {
  if (!flag_value.empty()) return flag_value;
  if (const char* env = std::getenv(kServerEnv); env != nullptr && *env != '\0') return env;
  return kDefaultServer;
}

ConnectionOptions resolve_connection_options(ConnectionOptions flags) {
  flags.address = resolve_server_address(flags.address);
  if (!flags.tls) {
    const std::string tls = env("AGDF_TLS");
    flags.tls = tls == "1" || tls == "true" || tls == "yes";
  }
  fill(flags.tls_ca, "AGDF_TLS_CA");
  fill(flags.tls_server_name, "AGDF_TLS_SERVER_NAME");
  fill(flags.tls_client_cert, "AGDF_TLS_CLIENT_CERT");
  fill(flags.tls_client_key, "AGDF_TLS_CLIENT_KEY");
  if (flags.token.empty() && flags.token_file.empty()) {
    flags.token = env("AGDF_TOKEN");
    if (flags.token.empty()) flags.token_file = env("AGDF_TOKEN_FILE");
  }
  if (flags.token.empty() && !flags.token_file.empty()) {
    flags.token = read_file(flags.token_file, "--token-file");
    while (!flags.token.empty() && std::isspace(static_cast<unsigned char>(flags.token.back())))
      flags.token.pop_back();
    if (flags.token.empty())
      throw ConnectionError("the token file " + flags.token_file + " is empty");
  }
  return flags;
}

}  // namespace agdf::client
