// The worker service on a daemon with tokens: AgdfWorkers.Connect is in the rights table,
// and each role opening it is admitted exactly when it has register_functions (worker and
// admin), through a real daemon and a real token file. Admitted workers register; the
// others' streams end UNAUTHENTICATED or PERMISSION_DENIED before any registration.

#include <google/protobuf/descriptor.h>

#include <set>

#include "agdf/auth/rpc_rights.hpp"
#include "agdf/v1/worker.grpc.pb.h"
#include "auth/auth_fixture.hpp"

namespace agdf::auth_test {
namespace {

using Token = std::optional<std::string>;

TEST(WorkerRpcRightsTable, NamesEveryRpcOfTheWorkerServiceAndNoOther) {
  const auto* service =
      google::protobuf::DescriptorPool::generated_pool()->FindServiceByName("agdf.v1.AgdfWorkers");
  ASSERT_NE(service, nullptr);
  std::set<std::string> methods;
  for (int i = 0; i < service->method_count(); ++i)
    methods.insert("AgdfWorkers." + service->method(i)->name());
  std::set<std::string> table;
  for (const auto& row : auth::worker_rpc_rights()) table.insert(std::string(row.rpc));
  EXPECT_EQ(table, methods);
  EXPECT_EQ(auth::required_right("AgdfWorkers.Connect"), auth::Right::register_functions);
}

class WorkerRights : public TokenDaemonTest {
 protected:
  /// Opens a worker stream as `token` and registers one function: OK when the daemon
  /// answered Registered, else the status the stream ended with.
  grpc::Status connect(const Token& token, const std::string& function) {
    auto stub = v1::AgdfWorkers::NewStub(channel(daemon().address()));
    auto context = call(token);
    auto stream = stub->Connect(context.get());
    v1::WorkerMessage hello;
    auto* registration = hello.mutable_register_();
    registration->set_worker_name("rights-test");
    auto* f = registration->add_functions();
    f->set_name(function);
    f->add_params()->set_name("x");
    stream->Write(hello);
    v1::DaemonMessage answer;
    if (!stream->Read(&answer)) return stream->Finish();
    EXPECT_TRUE(answer.has_registered()) << answer.DebugString();
    context->TryCancel();  // the worker leaves; how the stream then ends is not the point
    stream->Finish();
    return answer.has_registered() ? grpc::Status::OK
                                   : grpc::Status(grpc::StatusCode::INTERNAL, "not registered");
  }
};

TEST_F(WorkerRights, OnlyWorkersAndAdminsMayRegisterFunctions) {
  for (const char* principal : {"worker", "admin"}) {
    SCOPED_TRACE(principal);
    const grpc::Status status = connect(token(principal), std::string("f_") + principal);
    EXPECT_TRUE(status.ok()) << status.error_code() << " " << status.error_message();
  }
  for (const char* principal : {"reader", "submitter"}) {
    SCOPED_TRACE(principal);
    const grpc::Status status = connect(token(principal), "f");
    EXPECT_EQ(status.error_code(), grpc::StatusCode::PERMISSION_DENIED);
    EXPECT_EQ(status.error_message(), "principal '" + std::string(principal) + "' (role " +
                                          principal +
                                          ") lacks the right 'register_functions' that "
                                          "AgdfWorkers.Connect needs");
  }
}

TEST_F(WorkerRights, AWorkerWithoutATokenOrWithAWrongOneIsUnauthenticated) {
  const grpc::Status none = connect(std::nullopt, "f");
  EXPECT_EQ(none.error_code(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_NE(none.error_message().find("no token"), std::string::npos) << none.error_message();
  std::string tampered = token("worker");
  tampered.back() = tampered.back() == '0' ? '1' : '0';
  const grpc::Status wrong = connect(tampered, "f");
  EXPECT_EQ(wrong.error_code(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_EQ(wrong.error_message(), "unknown token");
  const std::string logs = this->logs();
  EXPECT_NE(logs.find("msg=\"call refused\" rpc=AgdfWorkers.Connect"), std::string::npos) << logs;
  EXPECT_EQ(logs.find(tampered), std::string::npos);
}

TEST_F(WorkerRights, ARefusedWorkerRegistersNothing) {
  connect(token("reader"), "only_if_admitted");
  v1::ListFunctionsResponse functions;
  auto context = call(token("admin"));
  ASSERT_TRUE(stub().ListFunctions(context.get(), {}, &functions).ok());
  for (const auto& f : functions.functions()) EXPECT_NE(f.name(), "only_if_admitted");
}

}  // namespace
}  // namespace agdf::auth_test
