#pragma once
// `agdf-server run FILE --worker "COMMAND"`: the worker side of a one-shot run. It serves
// AgdfWorkers on a loopback port of its own, starts the commands with AGDF_SERVER set to
// it, and waits until the graph's functions are served before the graph is validated.

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include <grpcpp/server.h>

#include "agdf/engine/graph_file.hpp"
#include "agdf/nodes/catalog.hpp"
#include "agdf/workers/supervisor.hpp"
#include "agdf/workers/worker_hub.hpp"

namespace agdf::server {

class WorkerSide {
 public:
  /// Listens on 127.0.0.1 (a free port) and starts `commands`. Throws when it cannot listen.
  WorkerSide(Catalog& catalog, const workers::WorkerOptions& options,
             const std::vector<std::string>& commands, boost::asio::any_io_executor executor);
  ~WorkerSide();

  /// Waits until a worker serves every function `graph` names that the catalog lacks,
  /// up to the options' worker_wait; returns the functions still missing then.
  std::vector<std::string> wait_for_functions(const engine::ParsedGraph& graph) const;

  workers::WorkerHub& hub() noexcept { return hub_; }

  /// Stops the workers and the port.
  void stop();

 private:
  Catalog& catalog_;
  const workers::WorkerOptions options_;
  workers::WorkerHub hub_;
  std::unique_ptr<grpc::Server> server_;
  std::unique_ptr<workers::WorkerSupervisor> supervisor_;
};

}  // namespace agdf::server
