#pragma once
/// The daemon's side of worker processes: the AgdfWorkers gRPC service, the pools of
/// workers serving each function, and the functions they add to the Catalog while they
/// are connected (and for WorkerOptions::worker_wait after the last one left).

#include <chrono>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include <grpcpp/impl/service_type.h>
#include <boost/asio/any_io_executor.hpp>

#include "agdf/auth/call_auth.hpp"
#include "agdf/engine/plan.hpp"
#include "agdf/nodes/catalog.hpp"
#include "agdf/workers/worker_events.hpp"
#include "agdf/workers/worker_options.hpp"

namespace agdf::workers {

namespace detail {
class Dispatcher;
}

class WorkerHub {
 public:
  /// `executor` (an io_context's) runs short timers of the worker streams. With `auth`, a
  /// worker needs a token whose role has the right register_functions (role worker or
  /// admin); without, every worker is admitted.
  /// `events` (may be null) hears workers come and go and calls reach them (metrics).
  WorkerHub(Catalog& catalog, WorkerOptions options, boost::asio::any_io_executor executor,
            WorkerLog log = {}, const auth::CallAuthenticator* auth = nullptr,
            WorkerEvents* events = nullptr);
  ~WorkerHub();
  WorkerHub(const WorkerHub&) = delete;
  WorkerHub& operator=(const WorkerHub&) = delete;

  /// The AgdfWorkers service, to register with a grpc::ServerBuilder.
  grpc::Service& service();

  /// Gives each node of `plan` that runs a worker-served function its lanes: the engine
  /// runs max_tasks x (1 + lookahead) tasks for it, each placing one call in one of
  /// max_tasks lanes, so at most max_tasks calls run at once while the next ones already
  /// wait at the worker. Nodes with a retry policy, a timeout or halt_on_exception (own or
  /// the graph's) are left as they are: a queued call must not start its timeout, a retry
  /// jump its lane, nor a call behind a failing one start before the halt arrives.
  /// Returns `plan` itself when nothing changes. The plan returned holds the lanes, so
  /// it is for one run: call this once per run.
  std::shared_ptr<const engine::Plan> pipeline(std::shared_ptr<const engine::Plan> plan) const;

  /// Connected, registered workers.
  std::size_t connected() const;

  /// Waits until every function named in `functions` has a connected worker, or
  /// `deadline`; true when they all have.
  bool wait_until_served(const std::vector<std::string>& functions,
                         std::chrono::steady_clock::time_point deadline) const;

  /// Ends every worker stream (shutdown): workers see the stream end and reconnect.
  void close_all();

 private:
  const WorkerLog log_;
  std::unique_ptr<detail::Dispatcher> dispatcher_;
  std::unique_ptr<grpc::Service> service_;
  std::jthread ticker_;
};

}  // namespace agdf::workers
