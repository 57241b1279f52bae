#include "agdf/service/run_manager.hpp"

#include <algorithm>
#include <random>

#include "agdf/service/convert.hpp"
#include "agdf/service/log.hpp"
#include "agdf/store/store_codec.hpp"
#include "history_link.hpp"

namespace agdf::service {
namespace {

std::string random_prefix() {
  std::random_device device;
  char buf[16];
  std::snprintf(buf, sizeof buf, "%08x", static_cast<unsigned>(device()));
  return buf;
}

RunHooks& no_hooks() {
  static RunHooks none;
  return none;
}

}  // namespace

/// Frees the run's slot when it finishes. Observes first, so that whoever sees
/// RunFinished (the record's watchers) finds the slot already free.
class RunManager::SlotRelease final : public engine::RunObserver {
 public:
  SlotRelease(RunManager& manager, std::shared_ptr<RunRecord> run)
      : manager_(manager), run_(std::move(run)) {}

  void on_finished(const engine::RunResult& result) override {
    manager_.on_finished(run_, to_proto(result.status));
  }

 private:
  RunManager& manager_;
  std::shared_ptr<RunRecord> run_;
};

RunManager::RunManager(engine::Engine& engine, RunLimits limits, RunHistory* history,
                       RunHooks* hooks)
    : engine_(engine),
      limits_(limits),
      hooks_(hooks ? hooks : &no_hooks()),
      id_prefix_(random_prefix()),
      history_(history) {}

RunManager::~RunManager() {
  stop_accepting();
  cancel_running();
  wait_idle(std::chrono::steady_clock::now() + std::chrono::seconds(10));
}

std::string RunManager::next_id() {
  return id_prefix_ + "-" + std::to_string(submitted_);
}

void RunManager::add_observer(ObserverFactory factory) {
  std::lock_guard lock(mutex_);
  observer_factories_.push_back(std::move(factory));
}

std::string RunManager::refusal_locked() const {
  return "too many runs: " + std::to_string(running_.size()) + " running (--max-runs " +
         std::to_string(limits_.max_runs) + ") and " + std::to_string(queue_.size() + storing_) +
         " queued (--max-queued-runs " + std::to_string(limits_.max_queued) + "); try again later";
}

void RunManager::submit(engine::ValidatedRun validated, Labels labels, std::string submitted_by,
                        std::string request, SubmitDone done) {
  std::shared_ptr<RunRecord> run;
  {
    std::lock_guard lock(mutex_);
    if (!accepting_) {
      hooks_->on_refused("shutting_down");
      return done({nullptr, false, SubmitError::shutting_down, "the daemon is shutting down"});
    }
    // Runs being stored will run or queue: they count against both limits together.
    if (running_.size() + queue_.size() + storing_ >= limits_.max_runs + limits_.max_queued) {
      hooks_->on_refused("queue_full");
      return done({nullptr, false, SubmitError::queue_full, refusal_locked()});
    }
    ++submitted_;
    run = std::make_shared<RunRecord>(next_id(), submitted_, std::move(labels),
                                      std::move(validated.plan), limits_.events,
                                      std::move(submitted_by), 0, hooks_);
    if (history_) ++storing_;
  }
  if (!history_) return admit(run, std::move(validated.options), std::nullopt, done);

  auto link = std::make_shared<HistoryLink>(history_->writer(), run->number(), run);
  run->attach_history(link);
  store::NewRun stored =
      store::encode_new_run(run->number(), run->info(), nullptr, run->submitted_by());
  stored.submission = std::move(request);
  auto options = std::make_shared<engine::RunOptions>(std::move(validated.options));
  history_->writer().add_run(
      std::move(stored), std::move(link),
      [this, run, options, done = std::move(done)](std::optional<std::string> error) {
        admit(run, std::move(*options), std::move(error), done);
      });
}

void RunManager::admit(const std::shared_ptr<RunRecord>& run, engine::RunOptions options,
                       std::optional<std::string> store_error, const SubmitDone& done) {
  bool run_now = false;
  bool too_late = false;
  {
    std::lock_guard lock(mutex_);
    if (history_) --storing_;
    if (!store_error) {
      by_id_.emplace(run->id(), run);
      by_number_.emplace(run->number(), run);
      too_late = !accepting_;  // stored while the daemon began to shut down
      run_now = !too_late && running_.size() < limits_.max_runs;
      if (too_late) {
        remember_finished(run);
      } else if (run_now) {
        running_.emplace(run->id(), run);
        run->mark_running();
      } else {
        queue_.push_back({run, std::move(options)});
      }
    }
    if (running_.empty() && storing_ == 0) idle_.notify_all();
  }
  if (store_error) {
    log(LogLevel::error, "run not stored, refused", {{"error", *store_error}});
    hooks_->on_refused("not_stored");
    return done({nullptr, false, SubmitError::not_stored, "cannot store the run: " + *store_error});
  }
  if (too_late) {
    run->finish_unstarted(v1::RUN_STATE_CANCELLED, "the daemon shut down before the run started");
  } else {
    hooks_->on_submitted(*run);
    log(LogLevel::debug, run_now ? "run started" : "run queued", {{"run", run->id()}});
    if (run_now) start(run, std::move(options));
  }
  done({run, !run_now, SubmitError::none, {}});
}

void RunManager::restore(std::uint64_t max_number, std::vector<RestoredRun> runs) {
  {
    std::lock_guard lock(mutex_);
    submitted_ = std::max(submitted_, max_number);
  }
  for (RestoredRun& restored : runs) {
    auto run = std::make_shared<RunRecord>(std::move(restored.id), restored.number,
                                           std::move(restored.labels), std::move(restored.run.plan),
                                           limits_.events, std::move(restored.submitted_by),
                                           restored.submitted_ms, hooks_);
    if (history_) {
      auto link = std::make_shared<HistoryLink>(history_->writer(), run->number(), run);
      run->attach_history(link);
      history_->writer().track_run(run->number(), std::move(link));
      std::lock_guard lock(mutex_);
      ++storing_;  // admit() counts it out: it is stored already
    }
    admit(run, std::move(restored.run.options), std::nullopt, [](Submission) {});
    log(LogLevel::info, "run restored", {{"run", run->id()}});
  }
}

void RunManager::start(const std::shared_ptr<RunRecord>& run, engine::RunOptions options) {
  std::vector<std::shared_ptr<engine::RunObserver>> observers{
      std::make_shared<SlotRelease>(*this, run)};
  for (const auto& factory : observer_factories_)
    if (auto observer = factory(run)) observers.push_back(std::move(observer));
  // The record last: whoever sees RunFinished finds the other observers (metrics) done.
  observers.push_back(run);
  auto handle = engine_.start({run->plan(), std::move(options)}, std::move(observers));
  run->attach(std::move(handle));
}

void RunManager::on_finished(const std::shared_ptr<RunRecord>& run, v1::RunState state) {
  std::vector<Waiting> to_start;
  {
    std::lock_guard lock(mutex_);
    running_.erase(run->id());
    remember_finished(run);
    while (accepting_ && running_.size() < limits_.max_runs && !queue_.empty()) {
      Waiting next = std::move(queue_.front());
      queue_.pop_front();
      running_.emplace(next.run->id(), next.run);
      next.run->mark_running();
      to_start.push_back(std::move(next));
    }
    if (running_.empty() && storing_ == 0) idle_.notify_all();
  }
  hooks_->on_final(*run, state);
  if (log_enabled(LogLevel::info))
    log(LogLevel::info, "run finished", {{"run", run->id()}, {"state", state_name(state)}});
  for (auto& next : to_start) start(next.run, std::move(next.options));
}

void RunManager::remember_finished(const std::shared_ptr<RunRecord>& run) {
  finished_.push_back(run);
  // With a history, a run leaves memory only once its end is stored: the history then
  // answers for it exactly as the record did.
  while (finished_.size() > limits_.keep_finished && finished_.front()->settled()) {
    const auto& oldest = finished_.front();
    by_id_.erase(oldest->id());
    by_number_.erase(oldest->number());
    finished_.pop_front();
  }
}

std::shared_ptr<RunRecord> RunManager::find(const std::string& id) const {
  std::lock_guard lock(mutex_);
  auto it = by_id_.find(id);
  return it == by_id_.end() ? nullptr : it->second;
}

std::optional<v1::RunState> RunManager::cancel(const std::string& id) {
  std::shared_ptr<RunRecord> run;
  bool was_queued = false;
  {
    std::lock_guard lock(mutex_);
    auto it = by_id_.find(id);
    if (it == by_id_.end()) return std::nullopt;
    run = it->second;
    if (auto q = std::find_if(queue_.begin(), queue_.end(),
                              [&](const Waiting& w) { return w.run == run; });
        q != queue_.end()) {
      queue_.erase(q);
      remember_finished(run);
      was_queued = true;
    }
  }
  if (was_queued) {
    run->finish_unstarted(v1::RUN_STATE_CANCELLED, {});
    hooks_->on_final(*run, v1::RUN_STATE_CANCELLED);
    log(LogLevel::info, "run finished", {{"run", id}, {"state", "cancelled"}});
  } else {
    run->request_cancel();
  }
  return run->state();
}

void RunManager::stop_accepting() {
  std::deque<Waiting> dropped;
  {
    std::lock_guard lock(mutex_);
    accepting_ = false;
    dropped.swap(queue_);
    for (const auto& waiting : dropped) remember_finished(waiting.run);
  }
  for (const auto& waiting : dropped) {
    waiting.run->finish_unstarted(v1::RUN_STATE_CANCELLED,
                                  "the daemon shut down before the run started");
    hooks_->on_final(*waiting.run, v1::RUN_STATE_CANCELLED);
    log(LogLevel::info, "run finished", {{"run", waiting.run->id()}, {"state", "cancelled"}});
  }
}

bool RunManager::wait_idle(std::chrono::steady_clock::time_point deadline) {
  std::unique_lock lock(mutex_);
  return idle_.wait_until(lock, deadline, [this] { return running_.empty() && storing_ == 0; });
}

std::size_t RunManager::cancel_running() {
  std::vector<std::shared_ptr<RunRecord>> runs;
  {
    std::lock_guard lock(mutex_);
    for (const auto& [id, run] : running_) runs.push_back(run);
  }
  for (const auto& run : runs) run->request_cancel();
  return runs.size();
}

std::vector<std::string> RunManager::abandon_running(const std::string& failure) {
  std::vector<std::shared_ptr<RunRecord>> runs;
  {
    std::lock_guard lock(mutex_);
    for (const auto& [id, run] : running_) runs.push_back(run);
  }
  std::vector<std::string> ids;
  for (const auto& run : runs) {
    run->abandon(failure);
    hooks_->on_final(*run, v1::RUN_STATE_FAILED);
    log(LogLevel::error, "run finished", {{"run", run->id()}, {"state", "failed"}});
    ids.push_back(run->id());
  }
  return ids;
}

std::size_t RunManager::running() const {
  std::lock_guard lock(mutex_);
  return running_.size();
}

std::size_t RunManager::queued() const {
  std::lock_guard lock(mutex_);
  return queue_.size();
}

}  // namespace agdf::service
