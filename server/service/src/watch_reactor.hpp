#pragma once
// One WatchRun stream: replays a run's events from the asked sequence number, then
// follows the run live until RunFinished. At most one write is in flight; the next
// event is read from the run's log when that write is done, so a slow client only
// ever falls behind (and is told so with EventsMissed), never slows the run.

#include <cstdint>
#include <memory>
#include <mutex>

#include <grpcpp/grpcpp.h>

#include "agdf/service/run_hooks.hpp"
#include "agdf/service/run_record.hpp"
#include "agdf/service/stream_count.hpp"

namespace agdf::service {

class WatchReactor final : public grpc::ServerWriteReactor<v1::RunEvent>,
                           public EventWaiter,
                           public std::enable_shared_from_this<WatchReactor> {
 public:
  /// A reactor streaming `run` from `from_seq`; it owns itself until gRPC is done with it,
  /// and counts itself in `open` meanwhile.
  static WatchReactor* start(std::shared_ptr<RunRecord> run, std::uint64_t from_seq,
                             StreamCount& open, RunHooks& hooks);
  /// A reactor that ends the call at once with `status`.
  static WatchReactor* refuse(grpc::Status status);

  WatchReactor(std::shared_ptr<RunRecord> run, std::uint64_t from_seq, StreamCount* open,
               RunHooks* hooks = nullptr);

  void on_event_available() override { pump(); }
  void OnWriteDone(bool ok) override;
  void OnCancel() override;
  void OnDone() override;

 private:
  /// Writes the next event if none is in flight, or waits for the run to append it.
  void pump();

  std::shared_ptr<RunRecord> run_;
  StreamCount* open_;
  RunHooks* hooks_;
  std::shared_ptr<WatchReactor> self_;  ///< keeps the reactor alive until OnDone

  std::mutex mutex_;
  std::uint64_t next_seq_;
  EventPtr writing_;        ///< the event in flight, kept alive until its write is done
  bool finishing_ = false;  ///< Finish (or StartWriteAndFinish) was called or is due
  bool cancelled_ = false;
};

}  // namespace agdf::service
