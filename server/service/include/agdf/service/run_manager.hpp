#pragma once
/// Admits, queues, starts, cancels and forgets runs. At most `max_runs` run at once;
/// the excess waits in a FIFO of at most `max_queued`; beyond that a submission is
/// refused. Finished runs are kept for look-ups until `keep_finished` newer ones
/// finished. Thread-safe.
///
/// Each run is observed by its RunRecord (the event log watchers read) and by whatever
/// observers the factories added with add_observer() make for it (metrics).
///
/// With a run history, a run is stored before it is admitted: it runs (or queues) only
/// once it is durable, and whoever submitted it hears so only then. The history gets the
/// run's numbered events from its record (RecordSink), so stored events carry the seq
/// watchers see. Finished runs leave memory only once their end is stored; the history
/// answers for them from then on.

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "agdf/engine/engine.hpp"
#include "agdf/engine/validated_run.hpp"
#include "agdf/service/run_history.hpp"
#include "agdf/service/run_hooks.hpp"
#include "agdf/service/run_record.hpp"

namespace agdf::service {

struct RunLimits {
  std::size_t max_runs = 10000;
  std::size_t max_queued = 10000;
  std::size_t keep_finished = 1000;
  EventLogLimits events;
};

enum class SubmitError { none, queue_full, shutting_down, not_stored };

struct Submission {
  std::shared_ptr<RunRecord> run;  ///< set on success
  bool queued = false;             ///< waits for a free slot instead of running at once
  SubmitError error = SubmitError::none;
  std::string message;  ///< why, when refused
};

/// Makes one more observer for a run about to start (called without the manager's lock).
using ObserverFactory =
    std::function<std::shared_ptr<engine::RunObserver>(const std::shared_ptr<RunRecord>& run)>;

/// A run the store held as queued when the daemon started, about to run again.
struct RestoredRun {
  std::string id;
  std::uint64_t number = 0;
  Labels labels;
  std::string submitted_by;
  std::int64_t submitted_ms = 0;
  engine::ValidatedRun run;
};

struct RunPage {
  std::vector<std::shared_ptr<RunRecord>> runs;  ///< newest first
  std::uint64_t next_before = 0;                 ///< 0: no more pages
};

class RunManager {
 public:
  /// `history` (may be null: everything in memory) and `hooks` (optional: they hear of
  /// submissions, refusals, ends and events) must outlive the manager.
  RunManager(engine::Engine& engine, RunLimits limits, RunHistory* history = nullptr,
             RunHooks* hooks = nullptr);
  ~RunManager();

  /// Every run started from now on is also observed by what `factory` makes for it.
  /// Add factories before the first submission.
  void add_observer(ObserverFactory factory);

  using SubmitDone = std::function<void(Submission)>;
  /// Starts the run, or queues it when `max_runs` are running; with a history, once it is
  /// stored, with `request` (the SubmitRunRequest as the client sent it, encoded). `done`
  /// hears the outcome: at once without a history, else from the history's notifier.
  /// `submitted_by` names the principal (empty on a daemon without tokens).
  void submit(engine::ValidatedRun run, Labels labels, std::string submitted_by,
              std::string request, SubmitDone done);

  /// At start-up, before any submission: numbers new runs after `max_number` and runs (or
  /// queues) the runs the store held as queued, in their order.
  void restore(std::uint64_t max_number, std::vector<RestoredRun> runs);

  /// nullptr when the id is unknown (or forgotten).
  std::shared_ptr<RunRecord> find(const std::string& id) const;

  /// Cancels a queued or running run; returns its state afterwards (a running run
  /// reports CANCELLED once its tasks stopped). nullopt when the id is unknown.
  std::optional<v1::RunState> cancel(const std::string& id);

  /// Runs submitted before `before` (0: from the newest), newest first, that `keep` accepts.
  template <typename Filter>
  RunPage list(std::uint64_t before, std::size_t page_size, Filter keep) const;

  // ---- shutdown ----
  /// Refuses new runs and cancels the queued ones; running runs go on.
  void stop_accepting();
  /// Waits until no run is running, or `deadline`; true when none is.
  bool wait_idle(std::chrono::steady_clock::time_point deadline);
  /// Cancels every running run; returns how many.
  std::size_t cancel_running();
  /// Marks every run still running as failed with `failure` (they did not stop when
  /// cancelled); returns their ids. The daemon exits without waiting for them.
  std::vector<std::string> abandon_running(const std::string& failure);

  std::size_t running() const;
  std::size_t queued() const;

  /// The hooks given at construction (ones that do nothing when none were).
  RunHooks& hooks() const noexcept { return *hooks_; }

 private:
  class SlotRelease;
  /// A run waiting for a slot, with the options it will start with.
  struct Waiting {
    std::shared_ptr<RunRecord> run;
    engine::RunOptions options;
  };

  void admit(const std::shared_ptr<RunRecord>& run, engine::RunOptions options,
             std::optional<std::string> store_error, const SubmitDone& done);
  std::string refusal_locked() const;
  void start(const std::shared_ptr<RunRecord>& run, engine::RunOptions options);
  void on_finished(const std::shared_ptr<RunRecord>& run, v1::RunState state);
  void remember_finished(const std::shared_ptr<RunRecord>& run);
  std::string next_id();

  engine::Engine& engine_;
  const RunLimits limits_;
  RunHooks* const hooks_;
  const std::string id_prefix_;
  RunHistory* const history_;
  std::vector<ObserverFactory> observer_factories_;

  mutable std::mutex mutex_;
  std::condition_variable idle_;
  bool accepting_ = true;
  std::uint64_t submitted_ = 0;
  std::size_t storing_ = 0;  ///< submitted, not yet durable
  std::unordered_map<std::string, std::shared_ptr<RunRecord>> by_id_;
  std::map<std::uint64_t, std::shared_ptr<RunRecord>, std::greater<>> by_number_;
  std::unordered_map<std::string, std::shared_ptr<RunRecord>> running_;
  std::deque<Waiting> queue_;
  std::deque<std::shared_ptr<RunRecord>> finished_;  ///< oldest first
};

template <typename Filter>
RunPage RunManager::list(std::uint64_t before, std::size_t page_size, Filter keep) const {
  RunPage page;
  std::lock_guard lock(mutex_);
  auto it = before == 0 ? by_number_.begin() : by_number_.upper_bound(before);
  for (; it != by_number_.end(); ++it) {
    if (!keep(*it->second)) continue;
    if (page.runs.size() == page_size) {
      page.next_before = page.runs.back()->number();
      break;
    }
    page.runs.push_back(it->second);
  }
  return page;
}

}  // namespace agdf::service
