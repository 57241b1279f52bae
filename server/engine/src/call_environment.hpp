#pragma once
// What every call of a run shares: the parts it reaches while it runs, each with one job.

#include <filesystem>
#include <map>
#include <memory>
#include <string>

#include <boost/asio/any_io_executor.hpp>

#include "agdf/engine/run_observer.hpp"
#include "agdf/engine/run_options.hpp"

namespace agdf::engine::detail {

class Router;
class Scheduler;
class WorkLedger;
class NodeState;

/// Where a call's errors go: recorded on the node, reported, and maybe halting the run.
class ErrorSink {
 public:
  virtual ~ErrorSink() = default;
  virtual void node_error(NodeState& node, ErrorRecord error) = 0;
};

struct CallEnvironment {
  Router& router;
  Scheduler& scheduler;
  WorkLedger& work;
  ErrorSink& errors;
  RunObserver& observers;
  const RunOptions& options;
  const bool& stopping;  ///< the run halts or is cancelled: calls end at their next yield
  boost::asio::any_io_executor executor;  ///< the run's strand
  boost::asio::any_io_executor blocking;  ///< the pool for blocking work
  const std::filesystem::path& data_dir;
  std::map<std::string, std::shared_ptr<void>>& resources;  ///< NodeContext::run_resource()
};

}  // namespace agdf::engine::detail
