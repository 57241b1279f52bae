// Every role against every RPC of agdf.v1.Agdf, through a real daemon with a real token
// file: with no token and with a wrong token every call is UNAUTHENTICATED; with the
// role's own token it is answered exactly when the role has the right (issue 13's table,
// written out here independently of the daemon's), and PERMISSION_DENIED naming the
// missing right otherwise. The health service stays open.

#include <google/protobuf/descriptor.h>

#include <functional>
#include <set>

#include "agdf/auth/rpc_rights.hpp"
#include "auth/auth_fixture.hpp"
#include "grpc/health/v1/health.grpc.pb.h"

namespace agdf::auth_test {
namespace {

using Token = std::optional<std::string>;

/// Issue 13: reader - functions, validate, get, list, watch; submitter - those, submit and
/// cancel of its own runs; admin - everything; worker - only registering functions.
const std::set<std::string> kReader{"ListFunctions", "ValidateGraph", "GetRun", "ListRuns",
                                    "WatchRun"};
const std::map<std::string, std::set<std::string>> kAllowed{
    {"reader", kReader},
    {"submitter",
     {"ListFunctions", "ValidateGraph", "GetRun", "ListRuns", "WatchRun", "SubmitRun",
      "SubmitAndWatch", "CancelRun"}},
    {"admin",
     {"ListFunctions", "ValidateGraph", "GetRun", "ListRuns", "WatchRun", "SubmitRun",
      "SubmitAndWatch", "CancelRun"}},
    {"worker", {}},
};

/// The right named in a PERMISSION_DENIED message for each RPC.
const std::map<std::string, std::string> kRight{
    {"ListFunctions", "read"},   {"ValidateGraph", "read"}, {"GetRun", "read"},
    {"ListRuns", "read"},        {"WatchRun", "read"},      {"SubmitRun", "submit"},
    {"CancelRun", "cancel_own"}, {"SubmitAndWatch", "submit"},
};

class RpcRights : public TokenDaemonTest {
 protected:
  void SetUp() override {
    TokenDaemonTest::SetUp();
    finished_run_ = submit_as("admin", tiny_graph());
    // Wait for it to finish, so WatchRun answers with its whole stream and ends.
    auto context = call(token("admin"));
    v1::WatchRunRequest request;
    request.set_run_id(finished_run_);
    auto reader = stub().WatchRun(context.get(), request);
    v1::RunEvent event;
    while (reader->Read(&event)) {
    }
    ASSERT_TRUE(reader->Finish().ok());
  }

  /// Calls `rpc` as whoever `token` says, on a run the caller may act on when it may.
  grpc::Status invoke(const std::string& rpc, const std::string& principal, const Token& token) {
    const auto definition = [](auto* request) {
      request->mutable_definition()->set_graph_json(tiny_graph());
    };
    auto context = call(token);
    if (rpc == "ListFunctions") {
      v1::ListFunctionsResponse response;
      return stub().ListFunctions(context.get(), {}, &response);
    }
    if (rpc == "ValidateGraph") {
      v1::ValidateGraphRequest request;
      definition(&request);
      v1::ValidateGraphResponse response;
      return stub().ValidateGraph(context.get(), request, &response);
    }
    if (rpc == "SubmitRun") {
      v1::SubmitRunRequest request;
      definition(&request);
      v1::SubmitRunResponse response;
      return stub().SubmitRun(context.get(), request, &response);
    }
    if (rpc == "SubmitAndWatch") {
      v1::SubmitRunRequest request;
      definition(&request);
      auto reader = stub().SubmitAndWatch(context.get(), request);
      v1::RunEvent event;
      while (reader->Read(&event)) {
      }
      return reader->Finish();
    }
    if (rpc == "GetRun") {
      v1::GetRunRequest request;
      request.set_run_id(finished_run_);
      v1::RunInfo response;
      return stub().GetRun(context.get(), request, &response);
    }
    if (rpc == "ListRuns") {
      v1::ListRunsResponse response;
      return stub().ListRuns(context.get(), {}, &response);
    }
    if (rpc == "WatchRun") {
      v1::WatchRunRequest request;
      request.set_run_id(finished_run_);
      auto reader = stub().WatchRun(context.get(), request);
      v1::RunEvent event;
      while (reader->Read(&event)) {
      }
      return reader->Finish();
    }
    if (rpc == "CancelRun") {
      // A submitter cancels a run of its own; anyone else a run the admin started.
      const bool own = kAllowed.at(principal).contains("SubmitRun") && principal != "admin";
      v1::CancelRunRequest request;
      request.set_run_id(submit_as(own ? principal : "admin", endless_graph()));
      v1::CancelRunResponse response;
      return stub().CancelRun(context.get(), request, &response);
    }
    ADD_FAILURE() << "no call written for " << rpc;
    return grpc::Status::CANCELLED;
  }

  std::string finished_run_;
};

std::vector<std::string> service_methods() {
  const auto* service =
      google::protobuf::DescriptorPool::generated_pool()->FindServiceByName("agdf.v1.Agdf");
  std::vector<std::string> names;
  for (int i = 0; i < service->method_count(); ++i) names.push_back(service->method(i)->name());
  return names;
}

TEST(RpcRightsTable, NamesEveryRpcOfTheServiceAndNoOther) {
  std::set<std::string> table;
  for (const auto& row : auth::rpc_rights()) table.insert(std::string(row.rpc));
  const auto methods = service_methods();
  EXPECT_EQ(table, std::set<std::string>(methods.begin(), methods.end()));
  for (const auto& method : methods) EXPECT_TRUE(kRight.contains(method)) << method;
}

TEST_F(RpcRights, EveryRpcWithoutATokenIsUnauthenticated) {
  for (const auto& rpc : service_methods()) {
    const grpc::Status status = invoke(rpc, "admin", std::nullopt);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAUTHENTICATED) << rpc;
    EXPECT_NE(status.error_message().find("no token"), std::string::npos) << rpc;
  }
}

TEST_F(RpcRights, EveryRpcWithAWrongTokenIsUnauthenticated) {
  // Well formed but from another file, a tampered valid one, and garbage.
  const std::string foreign = add_token(dir_.path("other.jsonl"), "admin", "admin");
  std::string tampered = token("admin");
  tampered.back() = tampered.back() == '0' ? '1' : '0';
  for (const std::string& wrong : {foreign, tampered, std::string("not-a-token")}) {
    for (const auto& rpc : service_methods()) {
      const grpc::Status status = invoke(rpc, "admin", wrong);
      EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAUTHENTICATED) << rpc;
      EXPECT_EQ(status.error_message(), "unknown token") << rpc;
    }
  }
}

TEST_F(RpcRights, EachRoleIsAnsweredExactlyWhereItHasTheRight) {
  for (const auto& [principal, allowed] : kAllowed) {
    for (const auto& rpc : service_methods()) {
      SCOPED_TRACE(principal + " calling " + rpc);
      const grpc::Status status = invoke(rpc, principal, token(principal));
      if (allowed.contains(rpc)) {
        EXPECT_TRUE(status.ok()) << status.error_code() << " " << status.error_message();
      } else {
        EXPECT_EQ(status.error_code(), grpc::StatusCode::PERMISSION_DENIED);
        EXPECT_EQ(status.error_message(), "principal '" + principal + "' (role " + principal +
                                              ") lacks the right '" + kRight.at(rpc) + "' that " +
                                              rpc + " needs");
      }
    }
  }
}

TEST_F(RpcRights, TheHealthServiceNeedsNoToken) {
  auto health = grpc::health::v1::Health::NewStub(channel(daemon().address()));
  grpc::health::v1::HealthCheckResponse response;
  auto context = call();
  ASSERT_TRUE(health->Check(context.get(), {}, &response).ok());
  EXPECT_EQ(response.status(), grpc::health::v1::HealthCheckResponse::SERVING);
}

TEST_F(RpcRights, RefusedCallsAreLoggedWithoutTheirToken) {
  invoke("SubmitRun", "reader", token("reader"));
  invoke("GetRun", "admin", std::string("agdf_000000000000_") + std::string(64, 'a'));
  const std::string logs = this->logs();
  EXPECT_NE(logs.find("msg=\"call refused\" rpc=SubmitRun"), std::string::npos) << logs;
  EXPECT_NE(logs.find("code=UNAUTHENTICATED"), std::string::npos) << logs;
  EXPECT_EQ(logs.find(token("reader")), std::string::npos);
  EXPECT_EQ(logs.find(std::string(64, 'a')), std::string::npos);
}

}  // namespace
}  // namespace agdf::auth_test
