// Without --tokens the daemon serves only loopback unless --insecure-listen-anywhere, and
// its start-up log says how exposed it is. The refused starts use 192.0.2.1 (TEST-NET-1,
// on no interface): past the guard, binding it fails, so nothing ever listens beyond
// loopback during these tests. Every start passes --no-store: the tests run in parallel
// and would otherwise contend for the default state directory.

#include <csignal>
#include <fstream>

#include "auth/auth_fixture.hpp"
#include "auth/test_pki.hpp"
#include "support/child_process.hpp"

namespace agdf::auth_test {
namespace {

using testing::run_to_end;

constexpr const char* kGuard = "refusing to listen beyond loopback without --tokens";

testing::Finished serve(const std::vector<std::string>& args) {
  std::vector<std::string> argv{AGDF_SERVER_BIN, "serve", "--no-store"};
  argv.insert(argv.end(), args.begin(), args.end());
  return run_to_end(argv, std::chrono::seconds(30));
}

TEST(ListenGuard, NoTokensAndANonLoopbackAddressIsRefusedBeforeListening) {
  const auto result = serve({"--listen", "192.0.2.1:0"});
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_NE(result.err.find(kGuard), std::string::npos) << result.err;
  EXPECT_EQ(result.err.find("cannot listen"), std::string::npos) << result.err;
}

TEST(ListenGuard, TheWildcardAddressIsRefusedToo) {
  for (const char* address : {"0.0.0.0:0", "[::]:0"}) {
    const auto result = serve({"--listen", address});
    EXPECT_EQ(result.exit_code, 1) << address;
    EXPECT_NE(result.err.find(kGuard), std::string::npos) << result.err;
  }
}

TEST(ListenGuard, InsecureListenAnywhereGetsPastTheGuard) {
  const auto flag = serve({"--listen", "192.0.2.1:0", "--insecure-listen-anywhere"});
  EXPECT_EQ(flag.err.find(kGuard), std::string::npos) << flag.err;
  EXPECT_NE(flag.err.find("cannot listen"), std::string::npos) << flag.err;

  const auto variable =
      run_to_end({AGDF_SERVER_BIN, "--no-store", "--listen", "192.0.2.1:0"},
                 std::chrono::seconds(30), {.env = {{"AGDF_INSECURE_LISTEN_ANYWHERE", "1"}}});
  EXPECT_EQ(variable.err.find(kGuard), std::string::npos) << variable.err;
}

TEST(ListenGuard, ATokenFileGetsPastTheGuard) {
  TempDir dir;
  add_token(dir.path("tokens"), "ops", "admin");
  const auto result = serve({"--listen", "192.0.2.1:0", "--tokens", dir.path("tokens")});
  EXPECT_EQ(result.err.find(kGuard), std::string::npos) << result.err;
  EXPECT_NE(result.err.find("cannot listen"), std::string::npos) << result.err;
}

TEST(ListenGuard, TheStartUpLogSaysLoudlyThatThereAreNoTokens) {
  TempDir dir;
  testing::DaemonProcess daemon(AGDF_SERVER_BIN, {}, dir.path("log"));
  daemon.send_signal(SIGTERM);
  ASSERT_EQ(daemon.wait_exit(std::chrono::seconds(30)), 0);
  const std::string log = read_text(dir.path("log"));
  EXPECT_NE(log.find("level=warn msg=\"NO TOKENS: every caller may do everything; listening on "
                     "loopback only"),
            std::string::npos)
      << log;
  EXPECT_NE(log.find("tls=off tokens=off"), std::string::npos) << log;
}

TEST(ListenGuard, ABadTokenFileStopsTheStartNamingTheLine) {
  TempDir dir;
  std::ofstream(dir.path("tokens")) << "# comment\n{\"name\": \"x\", \"role\": \"king\"}\n";
  const auto result = serve({"--tokens", dir.path("tokens")});
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_NE(result.err.find("line 2: role must be reader, submitter, admin or worker"),
            std::string::npos)
      << result.err;
}

}  // namespace
}  // namespace agdf::auth_test
