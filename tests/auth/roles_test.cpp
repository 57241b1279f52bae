// The roles of issue 13 and the right each RPC needs, as plain data.

#include <gtest/gtest.h>

#include "agdf/auth/roles.hpp"
#include "agdf/auth/rpc_rights.hpp"

namespace agdf::auth {
namespace {

TEST(Roles, ReaderOnlyReads) {
  EXPECT_TRUE(role_has(Role::reader, Right::read));
  for (Right r : {Right::submit, Right::cancel_own, Right::cancel_any, Right::register_functions})
    EXPECT_FALSE(role_has(Role::reader, r)) << right_name(r);
}

TEST(Roles, SubmitterReadsSubmitsAndCancelsItsOwn) {
  for (Right r : {Right::read, Right::submit, Right::cancel_own})
    EXPECT_TRUE(role_has(Role::submitter, r)) << right_name(r);
  EXPECT_FALSE(role_has(Role::submitter, Right::cancel_any));
  EXPECT_FALSE(role_has(Role::submitter, Right::register_functions));
}

TEST(Roles, AdminHasEveryRight) {
  for (Right r : {Right::read, Right::submit, Right::cancel_own, Right::cancel_any,
                  Right::register_functions})
    EXPECT_TRUE(role_has(Role::admin, r)) << right_name(r);
}

TEST(Roles, WorkerOnlyRegistersFunctions) {
  EXPECT_TRUE(role_has(Role::worker, Right::register_functions));
  for (Right r : {Right::read, Right::submit, Right::cancel_own, Right::cancel_any})
    EXPECT_FALSE(role_has(Role::worker, r)) << right_name(r);
}

TEST(Roles, NamesRoundTrip) {
  for (Role role : {Role::reader, Role::submitter, Role::admin, Role::worker})
    EXPECT_EQ(parse_role(role_name(role)), role);
  EXPECT_EQ(parse_role("Admin"), std::nullopt);
  EXPECT_EQ(parse_role(""), std::nullopt);
}

TEST(RequiredRight, EachRpcNeedsTheRightOfItsKind) {
  EXPECT_EQ(required_right("SubmitRun"), Right::submit);
  EXPECT_EQ(required_right("CancelRun"), Right::cancel_own);
  for (const char* rpc : {"ListFunctions", "ValidateGraph", "WatchRun", "GetRun", "ListRuns"})
    EXPECT_EQ(required_right(rpc), Right::read) << rpc;
  EXPECT_EQ(required_right("DropTables"), std::nullopt);
}

TEST(AnonymousPrincipal, IsAnAdminWithoutAName) {
  const Principal anonymous;
  EXPECT_TRUE(anonymous.anonymous());
  EXPECT_TRUE(anonymous.has(Right::cancel_any));
}

}  // namespace
}  // namespace agdf::auth
