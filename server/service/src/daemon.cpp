#include "agdf/service/daemon.hpp"

#include <pthread.h>

#include <algorithm>
#include <climits>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <memory>
#include <optional>
#include <thread>
#include <vector>

#include <grpcpp/ext/proto_server_reflection_plugin.h>
#include <grpcpp/grpcpp.h>
#include <grpcpp/health_check_service_interface.h>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/thread_pool.hpp>

#include "agdf/engine/engine.hpp"
#include "agdf/nodes/builtin.hpp"
#include "agdf/nodes/catalog.hpp"
#include "agdf/service/agdf_service.hpp"
#include "agdf/service/log.hpp"
#include "agdf/workers/supervisor.hpp"
#include "agdf/workers/worker_hub.hpp"
#include "calls_in_flight.hpp"
#include "daemon_security.hpp"
#include "run_recovery.hpp"

namespace asio = boost::asio;

namespace agdf::service {
namespace {

/// How long cancelled runs get to stop before the daemon gives up on them. Cancellation
/// reaches every call at its next wait or yield; only blocking offloaded code outlasts it.
constexpr auto kCancelWait = std::chrono::seconds(3);
/// How long watchers get to receive RunFinished once every run has ended.
constexpr auto kWatchersDeadline = std::chrono::seconds(5);
/// How long calls still being answered once every run and watcher is done may take.
constexpr auto kCallsDeadline = std::chrono::seconds(1);

/// Blocks the shutdown and reload signals in this thread and every thread it starts
/// later, so they are only ever taken by wait_for_signal().
sigset_t block_shutdown_signals() {
  std::signal(SIGPIPE, SIG_IGN);
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGHUP);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  return signals;
}

int wait_for_signal(const sigset_t& signals) {
  int signal = 0;
  while (sigwait(&signals, &signal) != 0) {
  }
  return signal;
}

/// "host:port" with the port gRPC actually bound (for port 0).
std::string bound_address(const std::string& listen, int port) {
  auto colon = listen.rfind(':');
  return (colon == std::string::npos ? listen : listen.substr(0, colon)) + ":" +
         std::to_string(port);
}

/// Stops runs as the daemon goes down: refuse, drain within the grace period, cancel, and
/// give up on runs whose calls do not stop (they end FAILED). False when it gave up on some.
bool drain_runs(RunManager& runs, std::chrono::milliseconds grace) {
  runs.stop_accepting();
  if (runs.wait_idle(std::chrono::steady_clock::now() + grace)) return true;
  std::size_t cancelled = runs.cancel_running();
  log(LogLevel::warn, "grace period over, cancelling runs", {{"runs", cancelled}});
  if (runs.wait_idle(std::chrono::steady_clock::now() + kCancelWait)) return true;
  auto abandoned = runs.abandon_running(
      "the daemon shut down and a call of this run did not stop when cancelled (blocking code "
      "in offloaded work); the daemon exited without it");
  std::string ids;
  for (const auto& id : abandoned) ids += (ids.empty() ? "" : ",") + id;
  log(LogLevel::error, "runs did not stop after cancellation, exiting without them",
      {{"runs", ids}});
  return false;
}

void log_worker_event(const workers::WorkerLogEvent& event) {
  std::vector<LogField> fields;
  for (const auto& [key, value] : event.fields) fields.emplace_back(key, value);
  log(event.warning ? LogLevel::warn : LogLevel::info, event.message, fields);
}

std::string loopback_address(const std::string& address) {
  auto colon = address.rfind(':');
  std::string host = address.substr(0, colon);
  if (host == "0.0.0.0" || host.empty()) host = "127.0.0.1";
  if (host == "[::]") host = "[::1]";
  return host + address.substr(colon);
}

}  // namespace

int run_daemon(const DaemonOptions& options, std::span<DaemonComponent* const> components) {
  const sigset_t signals = block_shutdown_signals();
  const std::optional<DaemonSecurity> security = prepare_security(options);
  if (!security) return 1;
  const unsigned threads =
      options.threads > 0 ? options.threads : std::max(1u, std::thread::hardware_concurrency());

  std::unique_ptr<RunHistory> history;
  if (options.history.enabled) {
    try {
      history = std::make_unique<RunHistory>(options.history, options.data_dir);
    } catch (const store::StoreError& e) {
      log(LogLevel::error, "cannot open the run history", {{"error", e.what()}});
      return 1;
    }
  }

  Registry builtins;
  register_builtin_nodes(builtins);
  Catalog catalog(builtins);

  asio::io_context io(static_cast<int>(threads));
  auto work = asio::make_work_guard(io);
  asio::thread_pool blocking(std::max(2u, threads));
  std::vector<std::thread> workers;
  for (unsigned i = 0; i < threads; ++i) workers.emplace_back([&io] { io.run(); });
  auto stop_threads = [&] {
    work.reset();
    io.stop();
    for (auto& t : workers) t.join();
    blocking.join();
  };

  engine::Engine engine(io.get_executor(), blocking.get_executor());
  // After the io_context: calls of worker functions hold timers of its strands.
  workers::WorkerEvents* worker_events = nullptr;
  for (DaemonComponent* component : components)
    if (!worker_events) worker_events = component->worker_events();
  agdf::workers::WorkerHub hub(catalog, options.workers, io.get_executor(), log_worker_event,
                               security->auth.get(), worker_events);
  RunHooks* hooks = nullptr;
  for (DaemonComponent* component : components)
    if (!hooks) hooks = component->run_hooks();
  std::optional<RunManager> runs(std::in_place, engine, options.limits, history.get(), hooks);
  for (DaemonComponent* component : components) component->attach(*runs);
  RunRequests requests(
      catalog, [&hub](auto plan) { return hub.pipeline(std::move(plan)); }, *runs, options.data_dir,
      {options.request_limits, security->egress}, history.get());
  AgdfService service(requests, security->auth.get());
  auto stop_components = [&] {
    for (DaemonComponent* component : components) component->stop();
  };
  if (history) {
    try {
      // Only the built-ins exist yet: a queued run naming worker functions fails, saying so.
      recover_runs(*history, *runs, *catalog.snapshot(), requests.validation_context());
    } catch (const store::StoreError& e) {
      log(LogLevel::error, "cannot restore the run history", {{"error", e.what()}});
      runs.reset();
      stop_threads();
      return 1;
    }
  }

  grpc::EnableDefaultHealthCheckService(true);
  grpc::reflection::InitProtoReflectionServerBuilderPlugin();
  grpc::ServerBuilder builder;
  int port = 0;
  builder.AddListeningPort(options.listen, security->credentials(), &port);
  builder.AddChannelArgument(GRPC_ARG_ALLOW_REUSEPORT, 0);  // a busy port is an error
  builder.SetMaxReceiveMessageSize(
      static_cast<int>(std::min<std::size_t>(options.request_limits.max_message_bytes, INT_MAX)));
  builder.RegisterService(&service);
  builder.RegisterService(&hub.service());
  StreamCount calls;  // outlives the server and so every call
  InterceptorFactories interceptors;
  interceptors.push_back(std::make_unique<CallsInFlight>(calls));
  for (DaemonComponent* component : components) component->add_interceptors(interceptors);
  builder.experimental().SetInterceptorCreators(std::move(interceptors));
  std::unique_ptr<grpc::Server> server = builder.BuildAndStart();
  if (!server || port == 0) {
    log(LogLevel::error, "cannot listen", {{"address", options.listen}});
    runs.reset();
    stop_threads();
    return 1;
  }
  // Health answers for the service's own name as for the whole server ("").
  server->GetHealthCheckService()->SetServingStatus(v1::Agdf::service_full_name(), true);
  const std::string address = bound_address(options.listen, port);
  std::cout << "agdf-server listening on " << address << std::endl;
  log(LogLevel::info, "listening",
      {{"address", address},
       {"threads", threads},
       {"max_runs", options.limits.max_runs},
       {"max_queued_runs", options.limits.max_queued},
       {"data_dir", options.data_dir.string()},
       {"tls", security->tls ? "on" : "off"},
       {"tokens", security->auth ? "on" : "off"},
       {"state_dir",
        history ? options.history.state_dir.string() : std::string("none (--no-store)")}});
  security->log_exposure(address);
  // Components list the daemon's functions through `requests` (live); `builtins` are the
  // fixed ones.
  const DaemonContext context{builtins, *runs, options.data_dir, requests, security->auth.get()};
  for (DaemonComponent* component : components) {
    std::string error;
    if (component->start(context, error)) continue;
    log(LogLevel::error, "cannot start", {{"error", error}});
    stop_components();
    server->Shutdown(std::chrono::system_clock::now());
    server->Wait();
    server.reset();
    runs.reset();
    stop_threads();
    return 1;
  }
  std::optional<agdf::workers::WorkerSupervisor> supervisor;
  if (!options.worker_commands.empty())
    supervisor.emplace(agdf::workers::SupervisorOptions{options.worker_commands,
                                                        loopback_address(address),
                                                        std::chrono::seconds(5), log_worker_event});

  int signal = wait_for_signal(signals);
  for (; signal == SIGHUP; signal = wait_for_signal(signals)) {
    security->reload();
    for (DaemonComponent* component : components) component->reload();
  }
  log(LogLevel::info, "shutting down",
      {{"signal", signal == SIGTERM ? "SIGTERM" : "SIGINT"},
       {"running", runs->running()},
       {"queued", runs->queued()},
       {"grace_period_ms", options.grace_period.count()}});
  runs->stop_accepting();  // before health says so: a client seeing NOT_SERVING is refused
  server->GetHealthCheckService()->SetServingStatus(false);
  for (DaemonComponent* component : components) component->on_shutdown();
  const bool runs_stopped = drain_runs(*runs, options.grace_period);
  // Workers are stopped once no run needs them any more.
  if (supervisor) supervisor->stop();
  hub.close_all();
  if (!service.open_watches().wait_none(std::chrono::steady_clock::now() + kWatchersDeadline))
    log(LogLevel::warn, "watchers still reading, cutting them off",
        {{"watchers", service.open_watches().open()}});
  stop_components();
  // Off the io_context threads (it can deadlock on them). Every run has ended and its
  // watchers have their RunFinished; a unary call still being answered (a CancelRun whose
  // run just stopped) gets a moment to finish, and whatever is left then is cancelled.
  // Not Shutdown's own deadline: it waits that out while a client keeps an idle
  // connection open.
  if (!calls.wait_none(std::chrono::steady_clock::now() + kCallsDeadline))
    log(LogLevel::warn, "calls still being answered, cancelling them", {{"calls", calls.open()}});
  server->Shutdown(std::chrono::system_clock::now());
  server->Wait();
  server.reset();
  if (history) history->writer().flush();  // submissions still being stored get their answer
  if (!runs_stopped) {
    // A thread of the blocking pool is stuck in a call that ignores cancellation: joining
    // it would hang. Every watcher has the run's FAILED end; leave without it.
    log(LogLevel::info, "stopped");
    std::fflush(nullptr);
    std::_Exit(0);  // everything stored: the writer was flushed above
  }
  runs.reset();
  stop_threads();
  history.reset();
  log(LogLevel::info, "stopped");
  return 0;
}

}  // namespace agdf::service
