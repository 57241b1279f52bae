#include "http/http_fixture.hpp"

#include <thread>

namespace agdf::http_test {

void HttpDaemonTest::start_http_daemon(const std::vector<std::string>& extra_args) {
  std::vector<std::string> args{"--http-listen", "127.0.0.1:0"};
  args.insert(args.end(), extra_args.begin(), extra_args.end());
  start_daemon(args);
  const std::string url = daemon().stdout_line("agdf-server http listening on ");
  ASSERT_FALSE(url.empty()) << "the daemon did not say where its HTTP port is";
  http_ = target_of(url);
}

agdf::v1::RunInfo HttpDaemonTest::get_run(const std::string& id) {
  auto context = agdf::testing::call_context();
  agdf::v1::GetRunRequest request;
  request.set_run_id(id);
  agdf::v1::RunInfo info;
  const grpc::Status status = stub().GetRun(context.get(), request, &info);
  EXPECT_TRUE(status.ok()) << status.error_message();
  return info;
}

agdf::v1::RunState HttpDaemonTest::cancel_run(const std::string& id) {
  auto context = agdf::testing::call_context();
  agdf::v1::CancelRunRequest request;
  request.set_run_id(id);
  agdf::v1::CancelRunResponse response;
  const grpc::Status status = stub().CancelRun(context.get(), request, &response);
  EXPECT_TRUE(status.ok()) << status.error_message();
  return response.state();
}

agdf::v1::RunInfo HttpDaemonTest::wait_final(const std::string& id) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  for (;;) {
    agdf::v1::RunInfo info = get_run(id);
    if (info.state() >= agdf::v1::RUN_STATE_COMPLETED ||
        std::chrono::steady_clock::now() > deadline)
      return info;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
}

}  // namespace agdf::http_test
