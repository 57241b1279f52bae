// A real HTTP port that needs a token, for the dashboard's browser test: the built-in
// functions, an engine and run manager, and HttpServer judging every API request with
// bearer_tokens({TOKEN}) — the seam the daemon's token check plugs into. Prints
// `agdf-test-http listening on URL`, serves until SIGTERM or SIGINT.
//
//   http_auth_server TOKEN
#include <pthread.h>

#include <csignal>
#include <iostream>
#include <optional>
#include <thread>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/thread_pool.hpp>

#include "agdf/engine/engine.hpp"
#include "agdf/http/http_server.hpp"
#include "agdf/nodes/builtin.hpp"
#include "agdf/service/log.hpp"

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: http_auth_server TOKEN\n";
    return 64;
  }
  agdf::service::set_log_level(agdf::service::LogLevel::warn);
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  boost::asio::io_context io;
  auto work = boost::asio::make_work_guard(io);
  boost::asio::thread_pool blocking(2);
  std::thread runner([&io] { io.run(); });
  agdf::engine::Engine engine(io.get_executor(), blocking.get_executor());
  agdf::Registry functions;
  agdf::register_builtin_nodes(functions);
  std::optional<agdf::service::RunManager> runs(std::in_place, engine, agdf::service::RunLimits{});
  agdf::http::HttpOptions options;
  options.listen = "127.0.0.1:0";
  agdf::service::RunRequests requests(functions, *runs, "data");
  agdf::http::HttpServer server(
      {functions, requests, nullptr, agdf::http::bearer_tokens({argv[1]})}, options);
  std::string error;
  if (!server.start(error)) {
    std::cerr << error << "\n";
    return 1;
  }
  std::cout << "agdf-test-http listening on " << server.url() << std::endl;
  int signal = 0;
  sigwait(&signals, &signal);
  server.stop();
  runs.reset();
  work.reset();
  io.stop();
  runner.join();
  blocking.join();
  return 0;
}
