// The token file: issuing, storing only a salted hash, verifying in constant time,
// and every problem of a bad file reported with its line and without secrets.

#include <gtest/gtest.h>

#include <fstream>

#include "agdf/auth/call_auth.hpp"
#include "agdf/auth/token_file.hpp"
#include "auth/auth_fixture.hpp"
#include "auth/test_pki.hpp"

namespace agdf::auth {
namespace {

TokenTable table_of(const std::vector<IssuedToken>& issued) {
  std::string text = "# agdf tokens\n\n";
  for (const auto& i : issued) text += to_json_line(i.entry) + "\n";
  auto parsed = TokenTable::parse(text);
  EXPECT_TRUE(parsed.problems.empty()) << parsed.problems.front();
  return std::move(*parsed.table);
}

TEST(TokenFile, AnIssuedTokenVerifiesAsItsPrincipal) {
  const auto alice = issue_token("alice", Role::submitter);
  const auto bob = issue_token("bob", Role::reader);
  const TokenTable table = table_of({alice, bob});

  auto who = table.verify(alice.token);
  ASSERT_TRUE(who);
  EXPECT_EQ(who->name, "alice");
  EXPECT_EQ(who->role, Role::submitter);
  EXPECT_EQ(table.verify(bob.token)->name, "bob");
}

TEST(TokenFile, TheLineHoldsNeitherTheTokenNorItsSecret) {
  const auto issued = issue_token("alice", Role::admin);
  const std::string line = to_json_line(issued.entry);
  EXPECT_EQ(line.find(issued.token), std::string::npos);
  EXPECT_EQ(line.find(issued.token.substr(18)), std::string::npos);
  EXPECT_EQ(issued.entry.sha256_hex.size(), 64u);
  EXPECT_EQ(issued.entry.salt_hex.size(), 32u);
}

TEST(TokenFile, WrongTamperedAndMalformedTokensVerifyAsNobody) {
  const auto alice = issue_token("alice", Role::admin);
  const TokenTable table = table_of({alice});
  std::string tampered = alice.token;
  tampered[40] = tampered[40] == 'a' ? 'b' : 'a';
  const std::string other_id = "agdf_" + std::string(12, '0') + alice.token.substr(17);

  for (const std::string& wrong :
       {tampered, other_id, issue_token("alice", Role::admin).token, std::string(),
        std::string("agdf_"), alice.token + "0", alice.token.substr(1)})
    EXPECT_FALSE(table.verify(wrong)) << wrong;
}

TEST(TokenFile, TheSameTokenHashesDifferentlyUnderAnotherSalt) {
  auto a = issue_token("a", Role::reader);
  auto b = issue_token("b", Role::reader);
  EXPECT_NE(a.entry.salt_hex, b.entry.salt_hex);
  EXPECT_NE(a.entry.sha256_hex, b.entry.sha256_hex);
}

TEST(TokenFile, EveryProblemIsReportedWithItsLine) {
  const auto ok = issue_token("ok", Role::reader);
  const std::string text = to_json_line(ok.entry) + "\n" +  // 1
                           "not json\n" +                   // 2
                           R"({"name": "ok", "role": "reader", "id": ")" + ok.entry.id +
                           R"(", "salt": ")" + ok.entry.salt_hex + R"(", "sha256": ")" +
                           ok.entry.sha256_hex + "\"}\n" +  // 3: duplicate
                           R"({"name": "x y", "role": "boss", "id": "12", "salt": "zz",)"
                           R"( "sha256": "", "token": "t"})"
                           "\n";  // 4
  const auto parsed = TokenTable::parse(text);
  EXPECT_FALSE(parsed.table);
  const std::vector<std::string> expected{
      "line 2: not a JSON object",
      "line 3: principal 'ok' appears twice",
      "line 3: id " + ok.entry.id + " appears twice",
      "line 4: unknown key 'token'",
      "line 4: a principal's name may only hold A-Z a-z 0-9 . _ @ -",
      "line 4: role must be reader, submitter, admin or worker",
      "line 4: id must be 12 lower-case hex digits",
      "line 4: salt must be 32 lower-case hex digits",
      "line 4: sha256 must be 64 lower-case hex digits",
  };
  EXPECT_EQ(parsed.problems, expected);
}

TEST(TokenFile, AddPrincipalAppendsAndRefusesADuplicateName) {
  auth_test::TempDir dir;
  const std::string file = dir.path("t.jsonl");
  std::ofstream(file) << "# no newline at the end";
  const auto first = add_principal(file, "alice", Role::admin);
  ASSERT_TRUE(first.issued) << first.problem;
  const auto second = add_principal(file, "bob", Role::worker);
  ASSERT_TRUE(second.issued) << second.problem;
  EXPECT_FALSE(add_principal(file, "alice", Role::reader).issued);

  auto loaded = TokenTable::load(file);
  ASSERT_TRUE(loaded.table) << loaded.problems.front();
  EXPECT_EQ(loaded.table->verify(first.issued->token)->name, "alice");
  EXPECT_EQ(loaded.table->verify(second.issued->token)->role, Role::worker);
}

TEST(CallAuthenticator, ChecksTheBearerHeaderAndTheRight) {
  auth_test::TempDir dir;
  const std::string file = dir.path("t.jsonl");
  const auto reader = add_principal(file, "r", Role::reader).issued->token;
  std::vector<std::string> problems;
  auto auth = CallAuthenticator::from_file(file, problems);
  ASSERT_TRUE(auth);

  EXPECT_TRUE(auth->admit("Bearer " + reader, "GetRun"));
  EXPECT_TRUE(auth->admit("bearer  " + reader + " ", "GetRun"));
  EXPECT_EQ(auth->admit(std::nullopt, "GetRun").status.error_code(),
            grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_EQ(auth->admit(reader, "GetRun").status.error_message(),
            "the authorization metadata must read `Bearer TOKEN`");
  EXPECT_EQ(auth->admit("Bearer " + reader, "SubmitRun").status.error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
}

TEST(CallAuthenticator, WithoutATokenFileEveryoneIsTheAnonymousAdmin) {
  const CallAuthenticator open;
  auto admitted = open.admit(std::nullopt, "CancelRun");
  ASSERT_TRUE(admitted);
  EXPECT_TRUE(admitted.principal->anonymous());
  EXPECT_TRUE(may_cancel(*admitted.principal, "someone", "r-1").ok());
}

TEST(CallAuthenticator, ReloadKeepsThePrincipalsWhenTheNewFileIsBad) {
  auth_test::TempDir dir;
  const std::string file = dir.path("t.jsonl");
  const auto a = add_principal(file, "a", Role::admin).issued->token;
  std::vector<std::string> problems;
  auto auth = CallAuthenticator::from_file(file, problems);
  ASSERT_TRUE(auth);

  const auto b = add_principal(file, "b", Role::admin).issued->token;
  EXPECT_FALSE(auth->admit("Bearer " + b, "GetRun"));
  EXPECT_TRUE(auth->reload().empty());
  EXPECT_TRUE(auth->admit("Bearer " + b, "GetRun"));

  std::ofstream(file, std::ios::app) << "garbage\n";
  EXPECT_FALSE(auth->reload().empty());
  EXPECT_TRUE(auth->admit("Bearer " + a, "GetRun"));
}

}  // namespace
}  // namespace agdf::auth
