#pragma once
/// A part of the daemon beside its gRPC service (the HTTP port with metrics today),
/// handed to run_daemon, which calls it at fixed points of its life. The daemon knows
/// nothing else about it.

#include <memory>
#include <string>
#include <vector>

#include <grpcpp/support/server_interceptor.h>

#include "agdf/auth/call_auth.hpp"
#include "agdf/nodes/registry.hpp"
#include "agdf/service/run_hooks.hpp"
#include "agdf/workers/worker_events.hpp"

namespace agdf::service {

class RunManager;
class RunRequests;

/// What a component can reach once the daemon's parts exist.
struct DaemonContext {
  const Registry& functions;
  RunManager& runs;
  const std::filesystem::path& data_dir;
  /// The run RPCs' logic, as the gRPC service answers them.
  RunRequests& requests;
  /// Who may call what (null: a daemon without tokens, every caller may do everything).
  const auth::CallAuthenticator* auth;
};

using InterceptorFactories =
    std::vector<std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>>;

class DaemonComponent {
 public:
  virtual ~DaemonComponent() = default;

  /// Hooks the run manager should report to (the first component's that has some).
  virtual RunHooks* run_hooks() { return nullptr; }
  /// What the worker hub should report to (the first component's that has some).
  virtual workers::WorkerEvents* worker_events() { return nullptr; }
  /// The run manager exists and has no run yet: add observers to it.
  virtual void attach(RunManager& runs) { (void)runs; }
  /// Interceptors to add to the gRPC server.
  virtual void add_interceptors(InterceptorFactories& factories) { (void)factories; }
  /// gRPC listens: start. False (with `error`) makes the daemon exit 1.
  virtual bool start(const DaemonContext& context, std::string& error) {
    (void)context, (void)error;
    return true;
  }
  /// SIGHUP: read certificates and similar files again. A file that cannot be used is
  /// logged and the current one kept.
  virtual void reload() {}
  /// The daemon begins shutting down (a signal came).
  virtual void on_shutdown() {}
  /// Every run has ended: stop, before the run manager goes away.
  virtual void stop() {}
};

}  // namespace agdf::service
