#pragma once
/// The daemon's durable run history: the locked state directory, the run store in it and
/// the writer that batches into it, plus a small pool for reads that must not run on a
/// run's strand or a gRPC thread. Opened once at start-up, before the daemon listens.

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <boost/asio/thread_pool.hpp>

#include "agdf/store/run_store.hpp"
#include "agdf/store/state_dir.hpp"
#include "agdf/store/store_writer.hpp"

namespace agdf::service {

namespace v1 = ::agdf::v1;

struct HistoryOptions {
  bool enabled = true;  ///< false: everything in memory, as before the store (--no-store)
  std::filesystem::path state_dir = "state";
  bool full_sync = false;               ///< fsync every commit (--store-sync full)
  std::uint64_t retain_runs = 100'000;  ///< finished runs kept; 0: no limit
  double retain_days = 30;              ///< finished runs kept this long; 0: no limit
  double retain_interval_s = 60;        ///< how often retention runs
  std::uint64_t max_events_per_run = 100'000;
  std::size_t queue_mb = 64;  ///< write queue budget before events are turned away
};

class RunHistory {
 public:
  /// Checks the layout against `data_dir`, locks the state directory, opens (or creates)
  /// the database and reads what the daemon needs to start. Throws store::StoreError with
  /// a message fit for an operator.
  RunHistory(const HistoryOptions& options, const std::filesystem::path& data_dir);
  /// Writes everything queued, then closes the store and releases the lock.
  ~RunHistory();

  store::RunStore& store() noexcept { return *store_; }
  store::StoreWriter& writer() noexcept { return *writer_; }
  const std::filesystem::path& database() const noexcept { return database_; }

  /// What the store held at start-up: numbering, the previous daemon's last sign of life,
  /// the runs it left queued or running. Taken once.
  store::StoreState take_loaded() { return std::move(loaded_); }

  /// A run as the store has it (throws store::StoreError when the store cannot be read).
  std::optional<store::StoredRun> find(const std::string& id);
  /// A page of runs, newest first. Everything written before the call is in it: queued
  /// writes are flushed first.
  store::RunPage list(const store::RunQuery& query);

  /// Reads up to `max` events of run `number` from `from_seq` off the caller's thread;
  /// `done` gets them (empty on a read error, which is logged).
  void read_events(std::uint64_t number, std::uint64_t from_seq, std::size_t max,
                   std::function<void(std::vector<v1::RunEvent>)> done);

 private:
  std::unique_ptr<store::StateDir> dir_;
  std::filesystem::path database_;
  std::unique_ptr<store::RunStore> store_;
  store::StoreState loaded_;
  boost::asio::thread_pool readers_{2};
  /// Answers SubmitRuns and wakes watchers after each batch, one batch after the other,
  /// while the writer goes on with the next.
  boost::asio::thread_pool notifier_{1};
  std::unique_ptr<store::StoreWriter> writer_;
};

}  // namespace agdf::service
