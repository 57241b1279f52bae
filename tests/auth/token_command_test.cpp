// `agdf-server token add NAME --role ROLE --tokens FILE` prints a fresh token once and
// stores only its salted hash; `token list` shows who is in the file.

#include <sys/stat.h>

#include <csignal>
#include <thread>

#include "auth/auth_fixture.hpp"
#include "auth/test_pki.hpp"
#include "support/child_process.hpp"

namespace agdf::auth_test {
namespace {

using testing::run_to_end;

testing::Finished token_cmd(const std::vector<std::string>& args) {
  std::vector<std::string> argv{AGDF_SERVER_BIN, "token"};
  argv.insert(argv.end(), args.begin(), args.end());
  return run_to_end(argv, std::chrono::seconds(30));
}

TEST(TokenCommand, AddPrintsTheTokenOnceAndStoresOnlyItsHash) {
  TempDir dir;
  const std::string file = dir.path("tokens.jsonl");
  const auto added = token_cmd({"add", "alice", "--role", "submitter", "--tokens", file});

  ASSERT_EQ(added.exit_code, 0) << added.err;
  ASSERT_EQ(added.out_lines().size(), 1u);
  const std::string token = added.out_lines()[0];
  EXPECT_EQ(token.size(), 82u);
  EXPECT_TRUE(token.starts_with("agdf_"));
  EXPECT_NE(added.err.find("only time its token is shown"), std::string::npos);
  EXPECT_EQ(added.err.find(token), std::string::npos);

  const std::string stored = read_text(file);
  EXPECT_EQ(stored.find(token), std::string::npos);
  EXPECT_EQ(stored.find(token.substr(18)), std::string::npos);
  EXPECT_NE(stored.find(R"("name":"alice","role":"submitter","id":")" + token.substr(5, 12)),
            std::string::npos)
      << stored;
  struct stat st {};
  ASSERT_EQ(::stat(file.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
}

TEST(TokenCommand, TokensDifferAndListShowsEveryPrincipal) {
  TempDir dir;
  const std::string file = dir.path("tokens.jsonl");
  const std::string a = add_token(file, "alice", "admin");
  const std::string b = add_token(file, "bob", "reader");
  EXPECT_NE(a, b);

  const auto listed = token_cmd({"list", "--tokens", file});
  ASSERT_EQ(listed.exit_code, 0) << listed.err;
  EXPECT_EQ(listed.out,
            "alice\tadmin\t" + a.substr(5, 12) + "\nbob\treader\t" + b.substr(5, 12) + "\n");
}

TEST(TokenCommand, RefusesABadRoleANameTakenAndABadName) {
  TempDir dir;
  const std::string file = dir.path("tokens.jsonl");
  add_token(file, "alice", "admin");

  const auto role = token_cmd({"add", "carol", "--role", "root", "--tokens", file});
  EXPECT_EQ(role.exit_code, 2);
  EXPECT_NE(role.err.find("--role must be reader, submitter, admin or worker"), std::string::npos);

  const auto taken = token_cmd({"add", "alice", "--role", "reader", "--tokens", file});
  EXPECT_EQ(taken.exit_code, 1);
  EXPECT_NE(taken.err.find("principal 'alice' is already in"), std::string::npos) << taken.err;

  const auto name = token_cmd({"add", "no spaces", "--role", "reader", "--tokens", file});
  EXPECT_EQ(name.exit_code, 1);
  EXPECT_EQ(name.out, "");
}

TEST(TokenCommand, TheFileComesFromAgdfTokensToo) {
  TempDir dir;
  const auto added =
      run_to_end({AGDF_SERVER_BIN, "token", "add", "ci", "--role", "worker"},
                 std::chrono::seconds(30), {.env = {{"AGDF_TOKENS", dir.path("env.jsonl")}}});
  EXPECT_EQ(added.exit_code, 0) << added.err;
  EXPECT_NE(read_text(dir.path("env.jsonl")).find(R"("role":"worker")"), std::string::npos);
}

}  // namespace
}  // namespace agdf::auth_test

namespace agdf::auth_test {
namespace {

TEST(TokenReload, ARunningDaemonPicksUpANewPrincipalOnSighup) {
  TempDir dir;
  const std::string file = dir.path("tokens.jsonl");
  add_token(file, "first", "reader");
  testing::DaemonProcess daemon(AGDF_SERVER_BIN, {"--tokens", file, "--log-level", "warn"});
  auto stub = v1::Agdf::NewStub(channel(daemon.address()));
  auto list_as = [&](const std::string& token) {
    v1::ListRunsResponse response;
    auto context = call(token);
    return stub->ListRuns(context.get(), {}, &response).error_code();
  };

  const std::string second = add_token(file, "second", "reader");
  EXPECT_EQ(list_as(second), grpc::StatusCode::UNAUTHENTICATED);
  daemon.send_signal(SIGHUP);

  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (list_as(second) != grpc::StatusCode::OK && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  EXPECT_EQ(list_as(second), grpc::StatusCode::OK);
}

}  // namespace
}  // namespace agdf::auth_test
