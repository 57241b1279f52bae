#pragma once
// The daemon's side of the worker protocol: which workers are connected, which functions
// they serve (pools of workers sharing a function), and where each call runs.
//
// Calls run in lanes. A lane is a sequence of calls that one worker runs one after
// another; a worker runs at most `concurrency` lanes of a function at once. A node's
// calls queue in its lanes ahead of time (WorkerOptions::lookahead), so a worker starts
// a node's next call as soon as the previous one ends rather than a round trip later.
// A lane is bound to a worker while it holds calls; when its worker is lost, the lane
// and its calls go to another worker of the pool, or wait for one.
//
// Thread-safe: one mutex guards all of it. Gateways into a run's strand are posted
// outside the lock.

#include <chrono>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <grpcpp/support/status.h>
#include <boost/asio/any_io_executor.hpp>

#include "agdf/nodes/catalog.hpp"
#include "agdf/v1/worker.pb.h"
#include "agdf/workers/worker_events.hpp"
#include "agdf/workers/worker_options.hpp"
#include "registration.hpp"
#include "remote_call.hpp"

namespace agdf::workers::detail {

class Link;
class WorkerStream;

/// Calls that run one after another on one worker.
struct Lane {
  explicit Lane(std::string f) : function(std::move(f)) {}
  const std::string function;
  Link* link = nullptr;                           ///< the worker it is bound to, or null
  std::uint64_t wire_lane = 0;                    ///< the lane's id on that worker's stream
  std::deque<std::shared_ptr<RemoteCall>> calls;  ///< not yet ended, in order
  bool waiting = false;                           ///< queued in its pool for a worker
};

/// The lanes of one node of one run (a NodeContext::run_resource).
struct NodeLanes {
  std::vector<std::shared_ptr<Lane>> lanes;
};

/// The workers that serve one function, and the lanes waiting for one of them.
struct Pool {
  std::string function;
  std::string description;
  std::shared_ptr<const Signature> signature;
  std::vector<Link*> links;
  std::deque<std::shared_ptr<Lane>> waiting;
  std::chrono::steady_clock::time_point empty_since;
  std::string why_empty;  ///< e.g. "its worker 'w' was lost: no heartbeat for 10000 ms"
};

class Dispatcher {
 public:
  /// `executor` runs the links' short timers (an io_context's); `events` (may be null)
  /// hears workers come and go and calls reach them.
  Dispatcher(Catalog& catalog, WorkerOptions options, boost::asio::any_io_executor executor,
             WorkerLog log, WorkerEvents* events = nullptr);
  ~Dispatcher();

  const WorkerOptions& options() const noexcept { return options_; }

  // ---- streams ----
  std::shared_ptr<Link> open(WorkerStream* stream);
  /// Handles one message; false when the stream is closing (read no more).
  bool on_message(const std::shared_ptr<Link>& link, v1::WorkerMessage& message);
  /// The worker is gone (stream ended, broke, or was closed by us). Idempotent.
  void on_closed(const std::shared_ptr<Link>& link, const std::string& why, bool graceful = false);

  // ---- calls (from a run's strand) ----
  /// Places a call: in a lane of `node` (pipelined, `lanes` of them), or in a lane of its
  /// own when `node` is null. Sends it when the lane has a worker. Returns why the call
  /// cannot be made (the function's workers now declare other parameters).
  std::optional<std::string> submit(const std::shared_ptr<RemoteCall>& call,
                                    const std::shared_ptr<Lane>& own_lane, NodeLanes* node,
                                    std::size_t lanes, const Signature& signature);
  /// The run accepted `items` more of the call's yields downstream.
  void credit(RemoteCall& call, std::uint32_t attempt, std::uint32_t items);
  /// The run gave up on the call (cancelled, halted, timed out): stop it at the worker.
  void abandon(const std::shared_ptr<RemoteCall>& call);
  /// Takes back a call still waiting for a worker; false when a worker has it now.
  bool withdraw(const std::shared_ptr<RemoteCall>& call);

  // ---- housekeeping ----
  /// Heartbeats, lost workers, functions whose last worker left long enough ago.
  void tick();
  /// Closes every stream (shutdown).
  void close_all(const std::string& why);
  /// Connected, registered workers.
  std::size_t connected() const;
  /// True when every function of `names` has a connected worker.
  bool serves_all(const std::vector<std::string>& names) const;

 private:
  using Clock = std::chrono::steady_clock;
  struct Finish {
    std::shared_ptr<Link> link;
    grpc::Status status;
  };
  struct Post {
    std::shared_ptr<RemoteCall> call;
    Delivery delivery;
  };
  struct Notice {
    std::shared_ptr<RemoteCall> call;
    std::string why;
  };
  /// What a locked section decided to do once the lock is released.
  struct After {
    std::vector<Post> posts;
    std::vector<Notice> notices;
    std::vector<Finish> finishes;
    std::vector<WorkerLogEvent> logs;
  };

  void on_register(const std::shared_ptr<Link>& link, const v1::Register& message, After& after);
  void on_results(const std::shared_ptr<Link>& link, v1::Results& results, After& after);
  /// One call's part of a Results message; false after a protocol error.
  bool take(const std::shared_ptr<Link>& link, std::uint64_t call_id,
            google::protobuf::RepeatedPtrField<std::string>& items, int first, int count, bool done,
            const v1::CallError* error, After& after, std::vector<Post>& failed);
  void protocol_error(const std::shared_ptr<Link>& link, const std::string& what, After& after);
  void refuse(const std::shared_ptr<Link>& link, const std::string& why, After& after);
  void lose(const std::shared_ptr<Link>& link, const std::string& why, After& after,
            bool graceful = false);
  void run(After& after);

  // Lanes and workers (mutex held).
  Pool& pool_for(const std::string& function, const Signature& signature);
  bool bind(const std::shared_ptr<Lane>& lane, Pool& pool);
  void bind_to(Link& link, const std::shared_ptr<Lane>& lane);
  void assign(const std::shared_ptr<RemoteCall>& call, Link& link, const Lane& lane);
  void unbind(Lane& lane);
  void fill(Link& link, Pool& pool);
  void wait_for_worker(const std::shared_ptr<Lane>& lane, Pool& pool, After& after);
  void call_ended(Link& link, RemoteCall& call);
  void publish(const Pool& pool);

  Catalog& catalog_;
  const WorkerOptions options_;
  const boost::asio::any_io_executor executor_;
  const WorkerLog log_;
  WorkerEvents* const events_;

  mutable std::mutex mutex_;
  std::uint64_t next_link_ = 1;
  std::set<std::shared_ptr<Link>> links_;
  std::map<std::string, Pool, std::less<>> pools_;
};

}  // namespace agdf::workers::detail
