#include "auth/auth_fixture.hpp"

#include <stdlib.h>

#include <stdexcept>

#include "auth/test_pki.hpp"
#include "support/child_process.hpp"

namespace agdf::auth_test {

TempDir::TempDir() {
  std::string pattern = (std::filesystem::temp_directory_path() / "agdf-auth-XXXXXX").string();
  if (!mkdtemp(pattern.data())) throw std::runtime_error("mkdtemp failed");
  dir_ = pattern;
}

TempDir::~TempDir() {
  std::error_code ec;
  std::filesystem::remove_all(dir_, ec);
}

std::string add_token(const std::string& file, const std::string& name, const std::string& role) {
  const auto result =
      testing::run_to_end({AGDF_SERVER_BIN, "token", "add", name, "--role", role, "--tokens", file},
                          std::chrono::seconds(30));
  if (result.exit_code != 0 || result.out_lines().size() != 1)
    throw std::runtime_error("token add failed: " + result.err);
  return result.out_lines().front();
}

std::shared_ptr<grpc::Channel> channel(const std::string& address,
                                       const std::optional<ClientTls>& tls) {
  grpc::ChannelArguments args;
  args.SetInt("grpc.use_local_subchannel_pool", 1);
  if (!tls) return grpc::CreateCustomChannel(address, grpc::InsecureChannelCredentials(), args);
  grpc::SslCredentialsOptions ssl;
  ssl.pem_root_certs = read_text(tls->ca);
  if (!tls->cert.empty()) {
    ssl.pem_cert_chain = read_text(tls->cert);
    ssl.pem_private_key = read_text(tls->key);
  }
  return grpc::CreateCustomChannel(address, grpc::SslCredentials(ssl), args);
}

std::unique_ptr<grpc::ClientContext> call(const std::optional<std::string>& token) {
  auto context = std::make_unique<grpc::ClientContext>();
  context->set_deadline(std::chrono::system_clock::now() + kCallTimeout);
  if (token) context->AddMetadata("authorization", "Bearer " + *token);
  return context;
}

std::string tiny_graph(int stop) {
  return R"({"nodes": [{"name": "numbers", "function": "range", "config": {"stop": )" +
         std::to_string(stop) +
         R"(}}, {"name": "sink", "function": "discard"}], "edges": [["numbers", "sink"]]})";
}

std::string endless_graph() {
  return R"({"nodes": [{"name": "wait", "function": "sleep", "config": {"ms": 60000}}]})";
}

void TokenDaemonTest::SetUp() {
  token_file_ = dir_.path("tokens.jsonl");
  for (const char* role : {"reader", "submitter", "admin", "worker"})
    tokens_[role] = add_token(token_file_, role, role);
  tokens_["submitter2"] = add_token(token_file_, "submitter2", "submitter");
  start();
}

void TokenDaemonTest::start(const std::vector<std::string>& extra_args) {
  stub_.reset();
  daemon_.reset();
  std::vector<std::string> args{"--tokens", token_file_, "--log-level", "info"};
  args.insert(args.end(), extra_args.begin(), extra_args.end());
  daemon_ =
      std::make_unique<testing::DaemonProcess>(AGDF_SERVER_BIN, args, dir_.path("daemon.log"));
  stub_ = v1::Agdf::NewStub(channel(daemon_->address()));
}

std::string TokenDaemonTest::logs() const {
  return read_text(dir_.path("daemon.log"));
}

std::string TokenDaemonTest::submit_as(const std::string& principal,
                                       const std::string& graph_json) {
  v1::SubmitRunRequest request;
  request.mutable_definition()->set_graph_json(graph_json);
  v1::SubmitRunResponse response;
  auto context = call(token(principal));
  const grpc::Status status = stub_->SubmitRun(context.get(), request, &response);
  EXPECT_TRUE(status.ok()) << principal << ": " << status.error_message();
  return response.run_id();
}

}  // namespace agdf::auth_test
