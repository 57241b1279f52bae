// HTTPS with certificate verification on by default, against a real TLS server on
// loopback whose self-signed certificate the test makes.

#include <gtest/gtest.h>

#include "io_harness.hpp"
#include "test_certificate.hpp"
#include "test_http_server.hpp"

namespace agdf::io_test {
namespace {

Json get_graph(Json config) {
  return {{"nodes", {{{"name", "get"}, {"function", "http.get"}, {"config", config}}}}};
}

class Https : public ::testing::Test {
 protected:
  Https()
      : certificate(make_loopback_certificate()),
        server(TestHttpServer::Tls{certificate.certificate_pem, certificate.key_pem}) {
    server.route("/secure", [](const TestRequest&) {
      return TestResponse{200, R"({"tls":true})"};
    });
    write_file(data / "certs/test-ca.pem", certificate.certificate_pem);
  }

  TestCertificate certificate;
  TestHttpServer server;
  TempDir data;
  IoEngine engine;
};

TEST_F(Https, RefusesAnUntrustedCertificateByDefaultWithoutRetrying) {
  auto run = engine.run(
      get_graph({{"url", server.url("/secure")}, {"retries", 3}, {"backoff_ms", 1}}), data.path());
  ASSERT_EQ(run.node("get").errors.size(), 1u);
  EXPECT_EQ(run.node("get").errors[0].type, "SSLError");
  EXPECT_NE(run.node("get").errors[0].message.find("certificate verify failed"), std::string::npos)
      << run.node("get").errors[0].message;
  EXPECT_EQ(server.requests("/secure"), 0u);
  EXPECT_TRUE(run.logs_of("get").empty()) << "a certificate error is not retried";
}

TEST_F(Https, TrustsACaFileFromTheDataDirectory) {
  auto run =
      engine.run(get_graph({{"url", server.url("/secure")}, {"ca_file", "certs/test-ca.pem"}}),
                 data.path(), {"get"});
  EXPECT_EQ(run.outputs_of("get"), (std::vector<Item>{Json{{"tls", true}}}));
}

TEST_F(Https, ChecksTheServerNameEvenWithATrustedCertificate) {
  const std::string by_name = "https://localhost:" + std::to_string(server.port()) + "/secure";
  auto run = engine.run(
      get_graph({{"url", by_name}, {"ca_file", "certs/test-ca.pem"}, {"retries", 0}}), data.path());
  ASSERT_EQ(run.node("get").errors.size(), 1u);
  EXPECT_EQ(run.node("get").errors[0].type, "SSLError") << run.node("get").errors[0].message;
}

TEST_F(Https, VerificationCanBeTurnedOffExplicitly) {
  auto run = engine.run(get_graph({{"url", server.url("/secure")}, {"verify_tls", false}}),
                        data.path(), {"get"});
  EXPECT_EQ(run.outputs_of("get"), (std::vector<Item>{Json{{"tls", true}}}));
}

}  // namespace
}  // namespace agdf::io_test
