#pragma once
/// The seam between the daemon and where run history lives. A backend (SQLite today,
/// PostgreSQL next) implements RunStore; everything above it speaks in runs and events,
/// never in SQL. Writes come in batches from one thread (StoreWriter), each batch one
/// transaction; reads may come from any thread at the same time.

#include <cstdint>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "agdf/v1/agdf.pb.h"

namespace agdf::store {

namespace v1 = ::agdf::v1;

using EventPtr = std::shared_ptr<const v1::RunEvent>;

/// The store cannot do what was asked; the message names the database and the cause.
class StoreError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// A run as it is first stored, before SubmitRun answers. Everything a backend files is
/// encoded by whoever queues the write (see store_codec.hpp), off the writer's thread: the
/// writer only moves bytes.
struct NewRun {
  std::uint64_t number = 0;  ///< submission order, unique across restarts
  std::string id;
  v1::RunState state = v1::RUN_STATE_QUEUED;
  std::int64_t submitted_ms = 0;
  std::int64_t finished_ms = 0;
  std::vector<std::pair<std::string, std::string>> labels;
  std::string submitter;   ///< the principal that submitted it; empty without tokens
  std::string info;        ///< its RunInfo, encoded
  std::string submission;  ///< the SubmitRunRequest as the client sent it, encoded
};

/// What is now known of a run.
struct RunChange {
  std::uint64_t number = 0;
  v1::RunState state = v1::RUN_STATE_UNSPECIFIED;
  std::int64_t finished_ms = 0;
  /// Its RunInfo, encoded, replacing the stored one; empty: only the state changed (the
  /// run started), the stored summary stays.
  std::string info;
};

/// A run's consecutive events from one batch, stored together (one row, not one per
/// event). A chunk holding one EventsMissed stands for events that were not stored (the
/// per-run cap, a full write queue) and covers first_seq..last_seq; it is rewritten while
/// the gap grows.
struct EventChunk {
  std::uint64_t run = 0;
  std::uint64_t first_seq = 0;
  std::uint64_t last_seq = 0;
  std::string events;  ///< encoded events, each length-prefixed (store_codec.hpp)
};

/// Everything one transaction writes. New runs first, then events, then changes.
struct WriteBatch {
  std::vector<NewRun> new_runs;
  std::vector<EventChunk> chunks;
  std::vector<RunChange> changes;
  std::int64_t alive_unix_ms = 0;  ///< the daemon's last sign of life; 0: leave as is

  bool empty() const noexcept { return new_runs.empty() && chunks.empty() && changes.empty(); }
};

struct StoredRun {
  std::uint64_t number = 0;
  v1::RunInfo info;
};

/// A page of ListRuns over the store: newest first, keyset by run number.
struct RunQuery {
  v1::RunState state = v1::RUN_STATE_UNSPECIFIED;           ///< UNSPECIFIED: any
  std::vector<std::pair<std::string, std::string>> labels;  ///< every one must match
  std::string submitter;                                    ///< empty: anyone's
  std::uint64_t before = 0;                                 ///< 0: from the newest
  std::size_t limit = 50;
};

struct RunPage {
  std::vector<StoredRun> runs;
  std::uint64_t next_before = 0;  ///< 0: no more pages
};

/// A run that was queued or running when the daemon that stored it went away.
struct UnfinishedRun {
  StoredRun run;
  v1::SubmitRunRequest submission;
  std::string submitter;
  std::uint64_t last_seq = 0;                   ///< its last stored event; 0: none
  std::optional<v1::StatsSnapshot> last_stats;  ///< its last stored stats snapshot
  /// Its RunFinished, when that was stored but its final state was not (a crash between).
  std::optional<v1::RunEvent> finished;
};

/// What a daemon needs from the store when it starts.
struct StoreState {
  std::uint64_t max_number = 0;           ///< new runs are numbered after it
  std::int64_t last_alive_unix_ms = 0;    ///< when the previous daemon last wrote; 0: never
  std::uint64_t runs = 0;                 ///< runs stored
  std::vector<UnfinishedRun> unfinished;  ///< oldest first
};

/// Finished runs to keep; 0 means no limit of that kind.
struct Retention {
  std::uint64_t max_runs = 0;   ///< the most recently finished ones are kept
  std::int64_t max_age_ms = 0;  ///< finished longer ago than this are deleted
};

class RunStore {
 public:
  virtual ~RunStore() = default;

  /// Reads what a starting daemon needs. Throws StoreError (a corrupt database, say).
  virtual StoreState load() = 0;

  /// Writes a batch in one transaction: all of it or, on StoreError, none of it.
  /// Called from one thread at a time.
  virtual void write(const WriteBatch& batch) = 0;

  /// Deletes up to `max_runs` finished runs (with their events) that `retention` no
  /// longer keeps, the longest finished first; returns how many. Same thread as write().
  virtual std::size_t prune(const Retention& retention, std::int64_t now_unix_ms,
                            std::size_t max_runs) = 0;

  virtual std::optional<StoredRun> find_run(std::string_view id) = 0;
  virtual RunPage list_runs(const RunQuery& query) = 0;
  /// Up to `max` stored events of run `number` from `from_seq` on, in order, run_id left
  /// empty. A marker comes as EventsMissed with seq = to_seq (as WatchRun sends it).
  virtual std::vector<v1::RunEvent> read_events(std::uint64_t number, std::uint64_t from_seq,
                                                std::size_t max) = 0;
};

}  // namespace agdf::store
