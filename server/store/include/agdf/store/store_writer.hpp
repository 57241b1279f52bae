#pragma once
/// Batches a daemon's writes to a RunStore on one thread of its own. Runs' strands only
/// enqueue: nothing here waits for the disk. The writer takes everything queued, writes it
/// as one transaction, then tells who waits (SubmitRun, watchers) that it is stored.
///
/// Memory stays bounded: queued events count against a byte budget. When the disk is
/// slower than the runs for long enough to fill it, further events are not queued; the
/// run goes on, a marker (EventsMissed) is stored for them, and the run counts them in
/// RunInfo.events_not_stored. New runs, run changes and RunFinished are always queued.
/// A run also stores at most `max_events_per_run` events; beyond it, the same marker.

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <future>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <unordered_map>
#include <variant>
#include <vector>

#include "agdf/store/detail/writer_ops.hpp"
#include "agdf/store/run_store.hpp"

namespace agdf::store {

/// A run's view of the writer: told, on the writer's thread, how far its events are dealt
/// with. Must not block.
class RunSink {
 public:
  virtual ~RunSink() = default;
  /// Every event of the run up to `seq` is stored or stood in for by a marker (or lost to
  /// a failed write); `not_stored` counts the run's events not stored so far.
  virtual void on_stored(std::uint64_t seq, std::uint64_t not_stored) = 0;
};

struct WriterOptions {
  std::size_t max_queued_bytes = std::size_t{64} << 20;
  std::uint64_t max_events_per_run = 100'000;
  Retention retention;
  std::chrono::milliseconds prune_interval{60'000};
  std::size_t prune_chunk = 200;  ///< runs deleted per transaction, so submits never wait long
  /// How often the daemon's sign of life is written while runs are in flight.
  std::chrono::milliseconds heartbeat{2'000};
  /// Told of every failed write or prune (from the writer's thread).
  std::function<void(const std::string&)> on_error;
  /// Runs what follows a batch (`done`s, RunSink::on_stored, flush() returning), in batch
  /// order, on a thread of the caller's choice; unset: on the writer's thread.
  std::function<void(std::function<void()>)> deliver;
};

struct WriterCounters {
  std::uint64_t batches = 0;
  std::uint64_t events_stored = 0;
  std::uint64_t events_not_stored = 0;
  std::uint64_t runs_pruned = 0;
  std::uint64_t write_errors = 0;
  std::size_t queued_bytes = 0;
};

class StoreWriter {
 public:
  /// nullopt once the run is durable; otherwise why it could not be stored.
  using Done = detail::WriteDone;

  StoreWriter(RunStore& store, WriterOptions options);
  /// Writes what is queued, then stops the thread.
  ~StoreWriter();
  StoreWriter(const StoreWriter&) = delete;
  StoreWriter& operator=(const StoreWriter&) = delete;

  /// Stores a new run (store_codec.hpp encodes one); `done` is called once it is durable.
  void add_run(NewRun run, std::shared_ptr<RunSink> sink, Done done);
  /// A run stored before this writer started (queued at the last stop), about to run again.
  void track_run(std::uint64_t number, std::shared_ptr<RunSink> sink);
  /// Replaces the run's stored state, times and summary. A final state ends its tracking.
  void change_run(RunChange change);
  /// Stores one numbered event of the run, encoded here, on the caller's thread. Never
  /// blocks.
  void add_event(std::uint64_t run, const v1::RunEvent& event);

  /// Returns once everything queued before the call has been written (or has failed).
  void flush();

  WriterCounters counters() const;

 private:
  using Op = detail::Op;
  using Tracked = detail::Tracked;

  void enqueue(Op op);
  void loop();
  void write(std::vector<Op>& ops);
  void write_heartbeat();
  void prune_if_due();
  std::chrono::steady_clock::time_point next_wakeup() const;

  RunStore& store_;
  const WriterOptions options_;

  mutable std::mutex mutex_;
  std::condition_variable wake_;
  std::vector<Op> queue_;
  std::size_t queued_bytes_ = 0;
  std::unordered_map<std::uint64_t, detail::GapOp> turned_away_;  ///< per run, one range
  bool stopping_ = false;
  WriterCounters counters_;

  // The writer's thread only.
  std::unordered_map<std::uint64_t, Tracked> runs_;
  std::chrono::steady_clock::time_point next_prune_;
  std::chrono::steady_clock::time_point last_alive_;

  std::thread thread_;
};

}  // namespace agdf::store
