#pragma once
/// Everything the daemon knows about one run: its state, times, latest stats and its
/// event log, plus the watchers waiting for its next event. Thread-safe; the run's
/// strand writes it (it observes the run), RPC handlers read it. Writers hold the lock
/// only to update and append, and wake waiters after letting go of it, so a watcher
/// never slows the run.

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <vector>

#include "agdf/engine/engine.hpp"
#include "agdf/engine/plan.hpp"
#include "agdf/engine/run_observer.hpp"
#include "agdf/engine/run_result.hpp"
#include "agdf/service/event_log.hpp"
#include "agdf/service/record_sink.hpp"
#include "agdf/service/run_hooks.hpp"
#include "agdf/service/watched_run.hpp"
#include "agdf/v1/agdf.pb.h"

namespace agdf::service {

using Labels = std::map<std::string, std::string, std::less<>>;

class RunRecord final : public engine::RunObserver, public WatchedRun {
 public:
  /// `submitted_ms` 0: now (a run restored from the store keeps its own).
  RunRecord(std::string id, std::uint64_t number, Labels labels,
            std::shared_ptr<const engine::Plan> plan, EventLogLimits limits,
            std::string submitted_by = {}, std::int64_t submitted_ms = 0,
            RunHooks* hooks = nullptr);

  const std::string& id() const noexcept override { return id_; }
  /// Submission order: higher is newer.
  std::uint64_t number() const noexcept override { return number_; }
  const Labels& labels() const noexcept { return labels_; }
  /// The principal that submitted the run; empty on a daemon without tokens.
  const std::string& submitted_by() const noexcept { return submitted_by_; }
  const std::shared_ptr<const engine::Plan>& plan() const noexcept { return plan_; }

  // ---- the run history (when the daemon has a store) ----
  /// From now on every event and state change also goes to `sink`, and an event reaches
  /// watchers only once on_stored() says it is stored: whatever a watcher saw survives a
  /// crash. Call before the run is visible.
  void attach_history(std::shared_ptr<RecordSink> sink);
  /// The run's events up to `seq` are stored (`not_stored` of them were not kept).
  void on_stored(std::uint64_t seq, std::uint64_t not_stored);
  /// True once the run has finished and its RunFinished is stored (or has no store).
  bool settled() const;

  // ---- lifecycle (from the run manager) ----
  /// Marks the run as running before the engine starts it.
  void mark_running();
  /// Hands over the engine's handle; cancels at once if a cancel came first.
  void attach(std::shared_ptr<engine::RunHandle> handle);
  /// Cancels a running run (or one about to run). The end comes as on_finished.
  void request_cancel();
  /// Ends a run that never started (cancelled while queued, or refused at shutdown).
  void finish_unstarted(v1::RunState state, std::string failure);
  /// Ends a running run that did not stop when cancelled (a call blocking in offloaded
  /// code): FAILED with `failure`, its latest stats kept. Whatever it reports later is
  /// ignored.
  void abandon(std::string failure);

  // ---- what the run reports (from the run's strand) ----
  void on_started(std::span<const engine::StartCall> starts) override;
  void on_stats(std::span<const engine::NodeSnapshot> nodes) override;
  void on_node_error(const std::string& node, const engine::ErrorRecord& error) override;
  void on_retry(const std::string& node, std::int64_t attempt, const engine::ErrorRecord& error,
                std::chrono::milliseconds delay) override;
  void on_log(const std::string& node, const std::string& line) override;
  void on_output(const std::string& node, const Item& item) override;
  void on_finished(const engine::RunResult& result) override;

  /// Calls `callback` with the final state once the run has finished (at once if it has);
  /// with a history, once its end is stored.
  void when_final(std::function<void(v1::RunState)> callback);

  // ---- readers ----
  /// The event numbered `seq`, or the forgotten (or only stored) range starting there, or
  /// end. When it is not there yet, `waiter` is registered and called once it is.
  EventLookup next_event(std::uint64_t seq, const std::shared_ptr<EventWaiter>& waiter) override;
  void remove_waiter(const EventWaiter* waiter) override;
  /// The event numbered `seq` as next_event finds it, without waiting for it.
  EventLookup event_at(std::uint64_t seq) const;

  v1::RunState state() const;
  v1::RunInfo info() const;
  /// True when the run is in `state` (UNSPECIFIED: any) and carries every label asked for.
  bool matches(v1::RunState state,
               const google::protobuf::Map<std::string, std::string>& labels) const;
  /// matches(), and submitted by `submitted_by` unless that is empty.
  bool matches(const v1::ListRunsRequest& request) const;

 private:
  /// What the history hears of an event besides the event itself.
  enum class Changes { none, state, summary };
  /// Appends under the lock (after `update` changed the record), then wakes waiters.
  template <typename Update>
  void publish(v1::RunEvent&& event, Changes changes, Update&& update);
  v1::RunInfo info_locked() const;

  const std::string id_;
  const std::uint64_t number_;
  const Labels labels_;
  const std::string submitted_by_;
  const std::shared_ptr<const engine::Plan> plan_;
  const std::int64_t submitted_ms_;
  RunHooks* const hooks_;

  mutable std::mutex mutex_;
  v1::RunState state_ = v1::RUN_STATE_QUEUED;
  std::int64_t started_ms_ = 0;
  std::int64_t finished_ms_ = 0;
  v1::RunFinished summary_;  ///< latest stats; the final state, errors and failure once finished
  EventLog log_;
  std::vector<std::shared_ptr<EventWaiter>> waiters_;
  std::vector<std::function<void(v1::RunState)>> when_final_;
  std::shared_ptr<engine::RunHandle> handle_;
  bool cancel_requested_ = false;
  std::shared_ptr<RecordSink> history_;
  std::uint64_t stored_seq_ = 0;  ///< with a history: watchers see events up to here
  std::uint64_t not_stored_ = 0;
};

}  // namespace agdf::service
