#pragma once
// One call of a worker-served function, as the daemon tracks it. Two parts with two
// owners: where the call is (which worker, which attempt, how much window it has) is
// the dispatcher's, under its mutex; what the worker sent and how far forwarding got is
// the run's, touched only on the run's strand. The dispatcher hands news to the strand
// by posting Deliveries.

#include <chrono>
#include <cstdint>
#include <deque>
#include <exception>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>

#include "agdf/nodes/parked.hpp"

namespace agdf::workers::detail {

struct Lane;
class Link;

struct CallError {
  std::string type;
  std::string message;
};

/// What a worker sent about one call in one message.
struct Delivery {
  std::uint32_t attempt = 0;
  std::vector<std::string> items;  ///< JSON text, in yield order
  bool done = false;
  std::optional<CallError> error;  ///< with done: what the call raised
  std::shared_ptr<const std::string> worker;
};

/// What a call is: fixed once made.
struct CallRequest {
  std::string function;
  std::string node;
  std::string args_json;
  std::vector<std::uint32_t> defaulted;
  std::uint32_t window = 0;
};

/// While one exists on a thread, the waits it covers (of calls on `strand`) resume inline
/// when drained, one after another, instead of through a post each: a worker's message
/// ends hundreds of calls of one run, and a post per call costs as much as the call.
/// Only on `strand`, in a handler running there.
class ResumeBatch {
 public:
  explicit ResumeBatch(boost::asio::any_io_executor strand);
  ~ResumeBatch();
  ResumeBatch(const ResumeBatch&) = delete;
  ResumeBatch& operator=(const ResumeBatch&) = delete;

  /// Resumes what was queued, and what those resumptions queue in turn, until none is left.
  void drain();

  /// The batch open on this thread for `strand`, or null.
  static ResumeBatch* covering(const boost::asio::any_io_executor& strand);
  void add(Resumption waiter, std::exception_ptr error);

 private:
  struct Entry {
    Resumption waiter;
    std::exception_ptr error;
  };
  const boost::asio::any_io_executor strand_;
  ResumeBatch* const outer_;
  std::deque<Entry> queue_;
};

class RemoteCall : public std::enable_shared_from_this<RemoteCall> {
 public:
  RemoteCall(boost::asio::any_io_executor strand, CallRequest request);

  const CallRequest& request() const noexcept { return request_; }
  const boost::asio::any_io_executor& strand() const noexcept { return strand_; }

  // ---- the dispatcher's part (under its mutex) ----
  struct Placement {
    Lane* lane = nullptr;
    Link* link = nullptr;       ///< the worker running it; null while unassigned
    std::uint64_t wire_id = 0;  ///< its id on that worker's stream
    std::uint32_t attempt = 0;  ///< 1 for the first worker, +1 for each reassignment
    std::int64_t granted = 0;   ///< items this attempt may yield (window + credits)
    std::int64_t received = 0;  ///< items this attempt yielded
    bool abandoned = false;     ///< the run no longer waits for it (cancelled)
    bool done = false;          ///< the worker reported its end
  };
  Placement at;

  // ---- the run's part (on the strand) ----
  /// Takes in what a worker sent. Yields of an attempt that repeat what an earlier
  /// attempt already forwarded are dropped (the replay rule); returns how many items it
  /// dropped that way, which the caller credits back to the worker.
  std::uint32_t deliver(Delivery delivery);
  /// No worker serves the function: fail unless one turns up within `wait`.
  void unserved(std::chrono::milliseconds wait, std::string why);

  /// The next item to forward (JSON text), or nullopt.
  std::optional<std::string> take_item();
  bool finished() const noexcept { return done_; }
  const std::optional<CallError>& error() const noexcept { return error_; }
  std::uint32_t attempt() const noexcept { return attempt_; }
  const std::shared_ptr<const std::string>& worker() const noexcept { return worker_; }
  /// Set while no worker serves the function: when the call gives up, and why.
  const std::optional<std::chrono::steady_clock::time_point>& give_up_at() const noexcept {
    return give_up_at_;
  }
  const std::string& unserved_reason() const noexcept { return unserved_why_; }
  void keep_waiting() noexcept { give_up_at_.reset(); }

  /// Calls of one lane forward in lane order: a call forwards once the one before it has
  /// finished forwarding (`after` is set when the call joins a lane behind another).
  void after(const std::shared_ptr<RemoteCall>& previous);
  bool my_turn() const noexcept { return !previous_ || previous_->released_; }
  /// The call is over for the run; the next call of its lane may forward.
  void release();
  bool released() const noexcept { return released_; }

  /// Waits until something changed (a delivery, a turn, the give-up time). Throws when
  /// the waiting coroutine is cancelled. The waiting call parks in the coroutine's frame:
  /// no timer (but while the call waits to give up), no allocation.
  boost::asio::awaitable<void> wait();
  void wake();

 private:
  const boost::asio::any_io_executor strand_;
  const CallRequest request_;

  std::deque<std::string> inbox_;
  std::uint32_t attempt_ = 0;  ///< the attempt inbox_ holds items of
  std::uint64_t taken_ = 0;    ///< items taken for forwarding, across attempts
  std::uint64_t seen_ = 0;     ///< items of the current attempt seen (kept or dropped)
  bool done_ = false;
  std::optional<CallError> error_;
  std::shared_ptr<const std::string> worker_;
  std::optional<std::chrono::steady_clock::time_point> give_up_at_;
  std::string unserved_why_;

  std::shared_ptr<RemoteCall> previous_;
  std::weak_ptr<RemoteCall> next_;
  bool released_ = false;

  void park(Resumption waiter);
  /// Resumes the parked wait (on the strand, never inline); `error` is thrown there.
  void resume(std::exception_ptr error);

  Resumption waiter_;
  std::optional<boost::asio::steady_timer> give_up_timer_;  ///< made the first time it is needed
  bool woken_ = false;
};

}  // namespace agdf::workers::detail
