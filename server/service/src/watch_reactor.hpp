#pragma once
// One WatchRun (or SubmitAndWatch) stream: replays a run's events from the asked sequence
// number, then follows the run live until RunFinished. At most one write is in flight;
// the next event is read from the run's log when that write is done, so a slow client
// only ever falls behind, never slows the run. Events the log no longer holds in memory
// are read from the run store, a chunk at a time, off the gRPC and run threads; only
// events the store does not have either come as EventsMissed.

#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>

#include <grpcpp/grpcpp.h>

#include "agdf/service/run_history.hpp"
#include "agdf/service/run_hooks.hpp"
#include "agdf/service/run_record.hpp"
#include "agdf/service/stream_count.hpp"
#include "agdf/service/watched_run.hpp"

namespace agdf::service {

class WatchReactor final : public grpc::ServerWriteReactor<v1::RunEvent>,
                           public EventWaiter,
                           public std::enable_shared_from_this<WatchReactor> {
 public:
  /// A reactor streaming `run` from `from_seq`; it owns itself until gRPC is done with it,
  /// and counts itself in `open` meanwhile. `history` may be null (no store).
  static WatchReactor* start(std::shared_ptr<WatchedRun> run, std::uint64_t from_seq,
                             StreamCount& open, RunHistory* history, RunHooks& hooks);
  /// A reactor that ends the call at once with `status`.
  static WatchReactor* refuse(grpc::Status status);
  /// A reactor for a run not accepted yet: it streams once begin() is called, or ends
  /// with end() (SubmitAndWatch).
  static std::shared_ptr<WatchReactor> awaiting(StreamCount& open, RunHistory* history,
                                                RunHooks* hooks = nullptr);

  /// Sends `first`, then the run's events from seq 1.
  void begin(std::shared_ptr<WatchedRun> run, v1::RunEvent first);
  /// Ends a stream that never began.
  void end(grpc::Status status);

  WatchReactor(std::shared_ptr<WatchedRun> run, std::uint64_t from_seq, StreamCount* open,
               RunHistory* history, RunHooks* hooks = nullptr);

  void on_event_available() override { pump(); }
  void OnWriteDone(bool ok) override;
  void OnCancel() override;
  void OnDone() override;

 private:
  /// Writes the next event if none is in flight, or waits for the run to append it, or
  /// starts reading it from the store.
  void pump();
  /// Queues what the store returned for from..to: the events, and EventsMissed for what
  /// it lacks.
  void on_read(std::uint64_t from, std::uint64_t to, std::size_t asked,
               std::vector<v1::RunEvent> events);

  std::shared_ptr<WatchedRun> run_;
  StreamCount* open_;
  RunHistory* history_;
  RunHooks* hooks_;
  std::shared_ptr<WatchReactor> self_;  ///< keeps the reactor alive until OnDone

  std::mutex mutex_;
  std::uint64_t next_seq_;
  std::deque<EventPtr> ready_;  ///< read from the store (or the first message), to write next
  EventPtr writing_;            ///< the event in flight, kept alive until its write is done
  bool began_ = true;           ///< false until a SubmitAndWatch run is accepted
  bool reading_ = false;        ///< a store read is in flight
  bool finishing_ = false;      ///< Finish (or StartWriteAndFinish) was called or is due
  bool cancelled_ = false;
};

}  // namespace agdf::service
