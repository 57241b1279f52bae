// TLS on the gRPC port with certificates made by openssl at test time: handshakes with
// and without client certificates, clients that trust the wrong CA or speak plain text
// refused, the CLI's TLS flags, and certificates replaced on SIGHUP while a run and its
// watcher carry on over the connection they already had.

#include <csignal>
#include <filesystem>
#include <fstream>
#include <thread>

#include "auth/auth_fixture.hpp"
#include "auth/test_pki.hpp"
#include "support/child_process.hpp"

namespace agdf::auth_test {
namespace {

using testing::run_to_end;

grpc::Status list_functions(const std::shared_ptr<grpc::Channel>& channel) {
  auto stub = v1::Agdf::NewStub(channel);
  v1::ListFunctionsResponse response;
  auto context = call();
  return stub->ListFunctions(context.get(), {}, &response);
}

class Tls : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { pki_ = new TestPki(); }
  static void TearDownTestSuite() {
    delete pki_;
    pki_ = nullptr;
  }

  /// A daemon serving TLS with the PKI's server certificate (copied, so a test may
  /// replace the files), plus `extra` flags.
  std::unique_ptr<testing::DaemonProcess> start(const std::vector<std::string>& extra = {}) {
    std::filesystem::copy_file(pki().path("server.crt"), cert_,
                               std::filesystem::copy_options::overwrite_existing);
    std::filesystem::copy_file(pki().path("server.key"), key_,
                               std::filesystem::copy_options::overwrite_existing);
    std::vector<std::string> args{"--tls-cert", cert_, "--tls-key", key_, "--log-level", "info"};
    args.insert(args.end(), extra.begin(), extra.end());
    return std::make_unique<testing::DaemonProcess>(AGDF_SERVER_BIN, args, dir_.path("log"));
  }

  static const TestPki& pki() { return *pki_; }
  ClientTls trusting(const std::string& ca) const { return {pki().path(ca), "", ""}; }

  TempDir dir_;
  const std::string cert_ = dir_.path("server.crt");
  const std::string key_ = dir_.path("server.key");

 private:
  static TestPki* pki_;
};

TestPki* Tls::pki_ = nullptr;

TEST_F(Tls, AClientTrustingTheCaCompletesTheHandshake) {
  auto daemon = start();
  const grpc::Status status = list_functions(channel(daemon->address(), trusting("ca.crt")));
  EXPECT_TRUE(status.ok()) << status.error_message();
}

TEST_F(Tls, AClientTrustingAnotherCaIsRefused) {
  auto daemon = start();
  const grpc::Status status = list_functions(channel(daemon->address(), trusting("other-ca.crt")));
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAVAILABLE);
}

TEST_F(Tls, APlainTextClientIsRefused) {
  auto daemon = start();
  const grpc::Status status = list_functions(channel(daemon->address()));
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAVAILABLE);
}

TEST_F(Tls, MutualTlsNeedsAClientCertificateFromTheClientCa) {
  auto daemon = start({"--tls-client-ca", pki().path("ca.crt")});
  const ClientTls good{pki().path("ca.crt"), pki().path("client.crt"), pki().path("client.key")};
  const ClientTls foreign{pki().path("ca.crt"), pki().path("other-client.crt"),
                          pki().path("other-client.key")};

  EXPECT_TRUE(list_functions(channel(daemon->address(), good)).ok());
  EXPECT_EQ(list_functions(channel(daemon->address(), trusting("ca.crt"))).error_code(),
            grpc::StatusCode::UNAVAILABLE);
  EXPECT_EQ(list_functions(channel(daemon->address(), foreign)).error_code(),
            grpc::StatusCode::UNAVAILABLE);
}

TEST_F(Tls, TheCliSpeaksTlsWithItsFlagsAndVariables) {
  auto daemon = start({"--tls-client-ca", pki().path("ca.crt")});
  const std::vector<std::string> base{AGDF_CLI, "--server", daemon->address()};
  auto agdf = [&](std::vector<std::string> args, std::map<std::string, std::string> env = {}) {
    std::vector<std::string> argv = base;
    argv.insert(argv.end(), args.begin(), args.end());
    return run_to_end(argv, std::chrono::seconds(60), {.env = env});
  };
  const std::vector<std::string> client_cert{"--tls-client-cert", pki().path("client.crt"),
                                             "--tls-client-key", pki().path("client.key")};
  auto with_cert = [&](std::vector<std::string> args) {
    args.insert(args.end(), client_cert.begin(), client_cert.end());
    return args;
  };

  const auto flags = agdf(
      with_cert({"--tls-ca", pki().path("ca.crt"), "--tls-server-name", "localhost", "health"}));
  EXPECT_EQ(flags.exit_code, 0) << flags.err;
  EXPECT_EQ(flags.out, "SERVING\n");

  const auto variables = agdf({"functions"}, {{"AGDF_TLS_CA", pki().path("ca.crt")},
                                              {"AGDF_TLS_CLIENT_CERT", pki().path("client.crt")},
                                              {"AGDF_TLS_CLIENT_KEY", pki().path("client.key")}});
  EXPECT_EQ(variables.exit_code, 0) << variables.err;
  EXPECT_NE(variables.out.find("range("), std::string::npos);

  const auto wrong_ca = agdf(with_cert({"--tls-ca", pki().path("other-ca.crt"), "functions"}));
  EXPECT_EQ(wrong_ca.exit_code, 6) << wrong_ca.err;
  EXPECT_NE(wrong_ca.err.find("cannot reach agdf-server"), std::string::npos) << wrong_ca.err;

  const auto wrong_name = agdf(with_cert(
      {"--tls-ca", pki().path("ca.crt"), "--tls-server-name", "elsewhere.example", "functions"}));
  EXPECT_EQ(wrong_name.exit_code, 6) << wrong_name.err;

  const auto plain = agdf({"functions"});
  EXPECT_EQ(plain.exit_code, 6) << plain.err;

  const auto missing = agdf({"--tls-ca", dir_.path("nope.pem"), "functions"});
  EXPECT_EQ(missing.exit_code, 64);
  EXPECT_NE(missing.err.find("cannot read the --tls-ca file"), std::string::npos) << missing.err;
}

TEST_F(Tls, SighupSwapsTheCertificatesWithoutDroppingRunsOrWatchers) {
  auto daemon = start({"--grace-period", "0"});
  // A run in progress, watched over a connection opened before the swap.
  auto old_channel = channel(daemon->address(), trusting("ca.crt"));
  auto old_stub = v1::Agdf::NewStub(old_channel);
  v1::SubmitRunRequest submit;
  submit.mutable_definition()->set_graph_json(endless_graph());
  v1::SubmitRunResponse submitted;
  auto submit_context = call();
  ASSERT_TRUE(old_stub->SubmitRun(submit_context.get(), submit, &submitted).ok());
  auto watch_context = call();
  v1::WatchRunRequest watch;
  watch.set_run_id(submitted.run_id());
  auto watcher = old_stub->WatchRun(watch_context.get(), watch);
  v1::RunEvent event;
  ASSERT_TRUE(watcher->Read(&event));
  ASSERT_TRUE(event.has_started());
  EXPECT_EQ(list_functions(channel(daemon->address(), trusting("other-ca.crt"))).error_code(),
            grpc::StatusCode::UNAVAILABLE);

  // New files in place (renamed in, as a careful operator would), then SIGHUP.
  std::filesystem::copy_file(pki().path("other-server.crt"), cert_ + ".new");
  std::filesystem::copy_file(pki().path("other-server.key"), key_ + ".new");
  std::filesystem::rename(cert_ + ".new", cert_);
  std::filesystem::rename(key_ + ".new", key_);
  daemon->send_signal(SIGHUP);

  // New connections get the new certificate (polled: the signal is handled asynchronously).
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  bool swapped = false;
  while (!swapped && std::chrono::steady_clock::now() < deadline) {
    swapped = list_functions(channel(daemon->address(), trusting("other-ca.crt"))).ok();
    if (!swapped) std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  ASSERT_TRUE(swapped) << "new connections still get the old certificate";
  EXPECT_EQ(list_functions(channel(daemon->address(), trusting("ca.crt"))).error_code(),
            grpc::StatusCode::UNAVAILABLE);

  // The old connection, its run and its watcher are untouched.
  v1::CancelRunRequest cancel;
  cancel.set_run_id(submitted.run_id());
  v1::CancelRunResponse cancelled;
  auto cancel_context = call();
  ASSERT_TRUE(old_stub->CancelRun(cancel_context.get(), cancel, &cancelled).ok());
  EXPECT_EQ(cancelled.state(), v1::RUN_STATE_CANCELLED);
  bool finished = false;
  while (watcher->Read(&event)) finished = finished || event.has_finished();
  EXPECT_TRUE(watcher->Finish().ok());
  EXPECT_TRUE(finished);
  EXPECT_NE(read_text(dir_.path("log")).find("TLS certificates reloaded"), std::string::npos);
}

TEST_F(Tls, ABrokenFileOnSighupKeepsTheCurrentCertificates) {
  auto daemon = start();
  std::ofstream(cert_) << "not a certificate\n";
  daemon->send_signal(SIGHUP);
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  std::string log;
  while (log.find("TLS files not reloaded") == std::string::npos &&
         std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    log = read_text(dir_.path("log"));
  }
  EXPECT_NE(log.find("holds no PEM certificate"), std::string::npos) << log;
  EXPECT_TRUE(list_functions(channel(daemon->address(), trusting("ca.crt"))).ok());
}

TEST_F(Tls, AKeyThatDoesNotMatchTheCertificateStopsTheStart) {
  const auto result =
      run_to_end({AGDF_SERVER_BIN, "--no-store", "--listen", "127.0.0.1:0", "--tls-cert",
                  pki().path("server.crt"), "--tls-key", pki().path("other-server.key")},
                 std::chrono::seconds(30));
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_NE(result.err.find("does not match the certificate"), std::string::npos) << result.err;
  EXPECT_EQ(result.out, "");
}

}  // namespace
}  // namespace agdf::auth_test
