// The HTTP server on its own, in-process with a real run manager: HTTPS with a
// certificate made by the test, and the one authorize function judging every request.
#include <gtest/gtest.h>

#include <unistd.h>

#include <csignal>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/thread_pool.hpp>

#include "agdf/engine/engine.hpp"
#include "agdf/http/http_server.hpp"
#include "agdf/nodes/builtin.hpp"
#include "http/http_client.hpp"
#include "io/test_certificate.hpp"
#include "server/daemon_process.hpp"

namespace agdf::http_test {
namespace {

namespace asio = boost::asio;

/// The engine, a run manager and the built-in functions, on threads of their own.
class InProcessDaemon {
 public:
  InProcessDaemon() : engine_(io_.get_executor(), blocking_.get_executor()) {
    register_builtin_nodes(functions_);
    thread_ = std::thread([this] { io_.run(); });
    runs_.emplace(engine_, service::RunLimits{});
    requests_.emplace(functions_, *runs_, "data");
  }
  ~InProcessDaemon() {
    requests_.reset();
    runs_.reset();
    work_.reset();
    io_.stop();
    thread_.join();
    blocking_.join();
  }
  http::HttpBackend backend(http::Authorize authorize) {
    return {functions_, *requests_, nullptr, std::move(authorize)};
  }

 private:
  asio::io_context io_;
  asio::executor_work_guard<asio::io_context::executor_type> work_{io_.get_executor()};
  asio::thread_pool blocking_{1};
  engine::Engine engine_;
  agdf::Registry functions_;
  std::optional<service::RunManager> runs_;
  std::optional<service::RunRequests> requests_;
  std::thread thread_;
};

/// Writes `text` to a fresh file under the test's temporary directory.
std::filesystem::path write_temp(const std::string& name, const std::string& text) {
  const auto dir =
      std::filesystem::temp_directory_path() / ("agdf-http-tls-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  std::ofstream(dir / name) << text;
  return dir / name;
}

TEST(HttpTls, ServesHttpsWithTheGivenCertificate) {
  InProcessDaemon daemon;
  const auto certificate = io_test::make_loopback_certificate();
  http::HttpOptions options;
  options.listen = "127.0.0.1:0";
  options.tls = http::TlsFiles{write_temp("cert.pem", certificate.certificate_pem),
                               write_temp("key.pem", certificate.key_pem)};
  http::HttpServer server(daemon.backend(http::allow_everyone()), options);
  std::string error;
  ASSERT_TRUE(server.start(error)) << error;
  EXPECT_TRUE(server.url().starts_with("https://127.0.0.1:"));

  Target target = target_of(server.address());
  target.trusted_pem = certificate.certificate_pem;
  const HttpAnswer answer = get(target, "/healthz");
  EXPECT_EQ(answer.status, 200u);
  const HttpAnswer posted = request(target, "POST", "/api/runs",
                                    R"({"nodes": [{"name": "a", "function": "range",
                                        "config": {"stop": 3}}]})");
  EXPECT_EQ(posted.status, 201u) << posted.body;

  // A client that does not trust the certificate gets no answer at all.
  Target untrusting = target_of(server.address());
  untrusting.trusted_pem = io_test::make_loopback_certificate().certificate_pem;
  EXPECT_THROW(get(untrusting, "/healthz"), std::exception);
  server.stop();
}

/// Replaces `path` with `text` the way a careful operator does: written aside, renamed in.
void replace_file(const std::filesystem::path& path, const std::string& text) {
  std::ofstream(path.string() + ".new") << text;
  std::filesystem::rename(path.string() + ".new", path);
}

/// Whether a client trusting `pem` gets /healthz answered.
bool answers_trusting(const std::string& address, const std::string& pem) {
  Target target = target_of(address);
  target.trusted_pem = pem;
  try {
    return get(target, "/healthz").status == 200u;
  } catch (const std::exception&) {
    return false;
  }
}

TEST(HttpTls, ReloadServesTheNewCertificateAndKeepsTheOldOneWhenTheNewFilesAreBroken) {
  InProcessDaemon daemon;
  const auto first = io_test::make_loopback_certificate();
  const auto second = io_test::make_loopback_certificate();
  http::HttpOptions options;
  options.listen = "127.0.0.1:0";
  options.tls = http::TlsFiles{write_temp("reload-cert.pem", first.certificate_pem),
                               write_temp("reload-key.pem", first.key_pem)};
  http::HttpServer server(daemon.backend(http::allow_everyone()), options);
  std::string error;
  ASSERT_TRUE(server.start(error)) << error;
  ASSERT_TRUE(answers_trusting(server.address(), first.certificate_pem));

  replace_file(options.tls->certificate, second.certificate_pem);
  replace_file(options.tls->private_key, second.key_pem);
  ASSERT_TRUE(server.reload_tls(error)) << error;
  EXPECT_TRUE(answers_trusting(server.address(), second.certificate_pem));
  EXPECT_FALSE(answers_trusting(server.address(), first.certificate_pem));

  replace_file(options.tls->certificate, "not a certificate");
  EXPECT_FALSE(server.reload_tls(error));
  EXPECT_NE(error.find("cannot use the TLS certificate or key"), std::string::npos) << error;
  EXPECT_TRUE(answers_trusting(server.address(), second.certificate_pem));
  server.stop();
}

TEST(HttpTls, SighupReloadsTheDaemonsHttpsCertificate) {
  const auto first = io_test::make_loopback_certificate();
  const auto second = io_test::make_loopback_certificate();
  const auto cert = write_temp("sighup-cert.pem", first.certificate_pem);
  const auto key = write_temp("sighup-key.pem", first.key_pem);
  const auto log = write_temp("sighup-daemon.log", "");
  testing::DaemonProcess daemon(
      AGDF_SERVER_BIN,
      {"--http-listen", "127.0.0.1:0", "--tls-cert", cert.string(), "--tls-key", key.string()},
      log.string());
  const std::string url = daemon.stdout_line("agdf-server http listening on ");
  ASSERT_TRUE(url.starts_with("https://")) << url;
  const std::string address = url.substr(std::string("https://").size());
  ASSERT_TRUE(answers_trusting(address, first.certificate_pem));

  replace_file(cert, second.certificate_pem);
  replace_file(key, second.key_pem);
  daemon.send_signal(SIGHUP);
  // The signal is handled asynchronously: poll, with a generous deadline.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (!answers_trusting(address, second.certificate_pem) &&
         std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  EXPECT_TRUE(answers_trusting(address, second.certificate_pem));
  EXPECT_FALSE(answers_trusting(address, first.certificate_pem));

  // A broken file on the next SIGHUP: logged, and the port keeps its certificate.
  replace_file(cert, "not a certificate");
  daemon.send_signal(SIGHUP);
  auto read_log = [&] {
    std::stringstream text;
    text << std::ifstream(log).rdbuf();
    return text.str();
  };
  while (read_log().find("http certificates not reloaded") == std::string::npos &&
         std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  EXPECT_NE(read_log().find("http certificates not reloaded"), std::string::npos) << read_log();
  EXPECT_TRUE(answers_trusting(address, second.certificate_pem));
  daemon.send_signal(SIGTERM);
  EXPECT_EQ(daemon.wait_exit(std::chrono::seconds(30)), 0);
}

TEST(HttpTls, UnusableCertificateFilesAreAnErrorNamingThem) {
  InProcessDaemon daemon;
  http::HttpOptions options;
  options.listen = "127.0.0.1:0";
  options.tls = http::TlsFiles{"/nonexistent/cert.pem", "/nonexistent/key.pem"};
  http::HttpServer server(daemon.backend(http::allow_everyone()), options);
  std::string error;
  EXPECT_FALSE(server.start(error));
  EXPECT_NE(error.find("TLS"), std::string::npos) << error;
}

TEST(HttpAuth, EveryApiRouteAndMetricsAskTheAuthorizeFunctionHealthAndPagesDoNot) {
  InProcessDaemon daemon;
  std::vector<std::string> asked;
  std::mutex mutex;
  auto tokens = http::bearer_tokens({"s3cret"});
  http::Authorize recording = [&](std::optional<std::string_view> header, std::string_view rpc) {
    std::lock_guard lock(mutex);
    asked.emplace_back(rpc);
    return tokens(header, rpc);
  };
  http::HttpOptions options;
  options.listen = "127.0.0.1:0";
  http::HttpServer server(daemon.backend(recording), options);
  std::string error;
  ASSERT_TRUE(server.start(error)) << error;
  const Target target = target_of(server.address());

  EXPECT_EQ(get(target, "/healthz").status, 200u);
  EXPECT_EQ(get(target, "/readyz").status, 200u);
  EXPECT_EQ(get(target, "/").status, 200u);
  EXPECT_EQ(get(target, "/app.js").status, 200u);
  {
    std::lock_guard lock(mutex);
    EXPECT_TRUE(asked.empty());
  }

  const HttpAnswer refused = get(target, "/api/runs");
  EXPECT_EQ(refused.status, 401u);
  EXPECT_EQ(refused.headers.at("www-authenticate"), "Bearer realm=\"agdf\"");
  EXPECT_EQ(get(target, "/api/runs", {{"Authorization", "Bearer wrong"}}).status, 401u);
  // This server has no metrics: /metrics is 404 before anyone is asked.
  EXPECT_EQ(get(target, "/metrics", {{"Authorization", "Bearer s3cret"}}).status, 404u);
  const std::vector<std::pair<std::string, std::string>> token{{"Authorization", "Bearer s3cret"}};
  const HttpAnswer submitted = request(target, "POST", "/api/runs",
                                       R"({"nodes": [{"name": "a", "function": "sleep",
                                           "config": {"ms": 60000}}]})",
                                       token);
  ASSERT_EQ(submitted.status, 201u) << submitted.body;
  const std::string id = submitted.json()["run_id"];
  EXPECT_EQ(get(target, "/api/runs/" + id, token).status, 200u);
  EXPECT_EQ(get(target, "/api/runs/" + id + "/graph", token).status, 200u);
  EXPECT_EQ(get(target, "/api/runs/" + id + "/events", token).status, 200u);
  EXPECT_EQ(get(target, "/api/functions", token).status, 200u);
  EXPECT_EQ(request(target, "POST", "/api/runs/" + id + "/cancel", {}, token).status, 200u);
  EXPECT_EQ(EventStream(target, "/api/runs/" + id + "/stream").status(), 401u);

  std::lock_guard lock(mutex);
  const std::vector<std::string> expected{"ListRuns",      "ListRuns",  "SubmitRun",
                                          "GetRun",        "GetRun",    "WatchRun",
                                          "ListFunctions", "CancelRun", "WatchRun"};
  EXPECT_EQ(asked, expected);
}

}  // namespace
}  // namespace agdf::http_test
