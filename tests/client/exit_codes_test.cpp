#include <gtest/gtest.h>

#include "agdf/client/exit_codes.hpp"

namespace agdf::client {
namespace {

v1::RunFinished finished(v1::RunState state, std::uint64_t err = 0) {
  v1::RunFinished f;
  f.set_state(state);
  auto* stats = f.add_stats();
  stats->set_node("load");
  stats->set_err(err);
  return f;
}

TEST(ExitCodes, AreTheDocumentedNumbers) {
  EXPECT_EQ(to_int(ExitCode::kOk), 0);
  EXPECT_EQ(to_int(ExitCode::kNodeErrors), 1);
  EXPECT_EQ(to_int(ExitCode::kInvalidGraph), 2);
  EXPECT_EQ(to_int(ExitCode::kHalted), 3);
  EXPECT_EQ(to_int(ExitCode::kCancelled), 4);
  EXPECT_EQ(to_int(ExitCode::kFailed), 5);
  EXPECT_EQ(to_int(ExitCode::kUnreachable), 6);
  EXPECT_EQ(to_int(ExitCode::kRefused), 7);
  EXPECT_EQ(to_int(ExitCode::kUsage), 64);
}

TEST(ExitCodes, FollowTheFinalStateOfARun) {
  EXPECT_EQ(exit_code_for(finished(v1::RUN_STATE_COMPLETED)), ExitCode::kOk);
  EXPECT_EQ(exit_code_for(finished(v1::RUN_STATE_COMPLETED, 2)), ExitCode::kNodeErrors);
  EXPECT_EQ(exit_code_for(finished(v1::RUN_STATE_HALTED, 1)), ExitCode::kHalted);
  EXPECT_EQ(exit_code_for(finished(v1::RUN_STATE_CANCELLED)), ExitCode::kCancelled);
  EXPECT_EQ(exit_code_for(finished(v1::RUN_STATE_FAILED)), ExitCode::kFailed);
}

TEST(ExitCodes, CountErrorRecordsAsNodeErrorsToo) {
  auto f = finished(v1::RUN_STATE_COMPLETED);
  auto* node = f.add_exceptions();
  node->set_node("load");
  node->add_errors()->set_type("TypeError");
  EXPECT_EQ(exit_code_for(f), ExitCode::kNodeErrors);
}

TEST(ExitCodes, FollowTheStatusOfAFailedCall) {
  using grpc::Status;
  using grpc::StatusCode;
  EXPECT_EQ(exit_code_for(Status(StatusCode::UNAVAILABLE, "")), ExitCode::kUnreachable);
  EXPECT_EQ(exit_code_for(Status(StatusCode::DEADLINE_EXCEEDED, "")), ExitCode::kUnreachable);
  EXPECT_EQ(exit_code_for(Status(StatusCode::INVALID_ARGUMENT, "")), ExitCode::kInvalidGraph);
  EXPECT_EQ(exit_code_for(Status(StatusCode::NOT_FOUND, "")), ExitCode::kRefused);
  EXPECT_EQ(exit_code_for(Status(StatusCode::RESOURCE_EXHAUSTED, "")), ExitCode::kRefused);
}

}  // namespace
}  // namespace agdf::client
