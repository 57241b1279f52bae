#pragma once
// One connected worker. Its dispatch state (functions, lanes, calls) belongs to the
// Dispatcher and is guarded by the dispatcher's mutex; its output (the messages waiting
// to be written to its stream) is guarded by the link's own mutex, which is taken after
// the dispatcher's, never before. One write is in flight at a time: what accumulates
// meanwhile (calls, credits, cancellations of many runs) goes out as one Work message.

#include <atomic>
#include <chrono>
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include <grpcpp/support/status.h>
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/steady_timer.hpp>

#include "agdf/v1/worker.pb.h"

namespace agdf::workers::detail {

class RemoteCall;
struct Lane;
class WorkerStream;

/// Milliseconds on the steady clock, for lock-free liveness stamps.
std::int64_t steady_ms();

class Link : public std::enable_shared_from_this<Link> {
 public:
  Link(std::string id, WorkerStream* stream, boost::asio::any_io_executor executor);

  // ---- dispatch state (the dispatcher's mutex) ----
  const std::string id;
  std::shared_ptr<const std::string> name;
  bool registered = false;
  bool lost = false;
  struct Slots {
    std::uint32_t concurrency = 0;
    std::uint32_t busy = 0;  ///< lanes of this function bound to the worker
  };
  std::map<std::string, Slots, std::less<>> functions;
  std::unordered_map<std::uint64_t, std::shared_ptr<RemoteCall>> calls;  ///< by wire id
  std::vector<std::shared_ptr<Lane>> lanes;                              ///< bound here
  std::uint64_t next_call_id = 1;
  std::uint64_t next_lane_id = 1;

  /// Last time a message arrived (any message counts as a heartbeat).
  std::atomic<std::int64_t> last_heard_ms;

  // ---- output (the link's own mutex) ----
  /// Adds to the Work message that goes out with the next write.
  template <typename Fill>
  void add_work(Fill&& fill) {
    std::unique_lock lock(io_);
    if (finish_) return;
    fill(work_);
    if (!has_work_) work_since_ms_ = steady_ms();
    has_work_ = true;
    perform(next(), lock);
  }
  /// Queues a message that is not Work; such messages go out in order, before Work.
  void send(v1::DaemonMessage message);
  /// Ends the stream with `status` once what is queued has been written. The first
  /// status wins; later work is dropped.
  void finish(grpc::Status status);
  /// Sends a heartbeat when nothing has been written for `interval`.
  void heartbeat_if_idle(std::chrono::milliseconds interval);
  /// The worker sent a message: it has read what came before, so Work goes out again,
  /// after a moment in which the runs take in what the message brought (and make the
  /// calls that follow from it, which then travel in the same Work).
  void heard();
  /// Sends Work that has waited `longer_than` for the worker to answer the previous one.
  void flush_if_waiting(std::chrono::milliseconds longer_than);

  // ---- from the stream ----
  void on_write_done(bool ok);
  /// The stream is gone (OnDone): nothing may touch it any more.
  void detach();

 private:
  enum class Step { none, write, finish };
  /// With io_ held: what to do next on the stream (the next write, or the finish, when
  /// none is in flight), its state already updated.
  Step next();
  /// Does it, releasing `lock` first.
  void perform(Step step, std::unique_lock<std::mutex>& lock);

  std::mutex io_;
  WorkerStream* stream_;
  std::deque<v1::DaemonMessage> control_;
  v1::Work work_;
  bool has_work_ = false;
  v1::DaemonMessage writing_;
  bool write_in_flight_ = false;
  std::int64_t last_sent_ms_ = 0;
  // Work goes out when the worker answered the previous Work (any message counts) or it
  // waited long enough: a worker reading one message costs far more than a call, so
  // calls that become ready while the worker is busy travel together.
  int work_unanswered_ = 0;
  std::int64_t work_since_ms_ = 0;
  boost::asio::steady_timer hold_;  // guarded by io_
  bool holding_ = false;
  std::optional<grpc::Status> finish_;
  bool finished_ = false;
};

}  // namespace agdf::workers::detail
