#include "agdf/service/run_manager.hpp"

#include <algorithm>
#include <random>

#include "agdf/service/convert.hpp"
#include "agdf/service/log.hpp"
#include "history_link.hpp"

namespace agdf::service {
namespace {

std::string random_prefix() {
  std::random_device device;
  char buf[16];
  std::snprintf(buf, sizeof buf, "%08x", static_cast<unsigned>(device()));
  return buf;
}

}  // namespace

/// Forwards what a run reports to its record, and its end to the manager.
class RunManager::Observer final : public engine::RunObserver {
 public:
  Observer(RunManager& manager, std::shared_ptr<RunRecord> run)
      : manager_(manager), run_(std::move(run)) {}

  void on_started(std::span<const engine::StartCall> starts) override { run_->on_started(starts); }
  void on_stats(std::span<const engine::NodeSnapshot> nodes) override { run_->on_stats(nodes); }
  void on_node_error(const std::string& node, const engine::ErrorRecord& error) override {
    run_->on_node_error(node, error);
  }
  void on_retry(const std::string& node, std::int64_t attempt, const engine::ErrorRecord& error,
                std::chrono::milliseconds delay) override {
    run_->on_retry(node, attempt, error, delay);
  }
  void on_log(const std::string& node, const std::string& line) override {
    run_->on_log(node, line);
  }
  void on_output(const std::string& node, const Item& item) override {
    run_->on_output(node, item);
  }
  /// Bookkeeping first: whoever sees RunFinished finds the slot already free.
  void on_finished(const engine::RunResult& result) override {
    manager_.on_finished(run_, to_proto(result.status));
    run_->on_finished(result);
  }

 private:
  RunManager& manager_;
  std::shared_ptr<RunRecord> run_;
};

RunManager::RunManager(engine::Engine& engine, RunLimits limits, RunHistory* history)
    : engine_(engine), limits_(limits), id_prefix_(random_prefix()), history_(history) {}

RunManager::~RunManager() {
  stop_accepting();
  cancel_running();
  wait_idle(std::chrono::steady_clock::now() + std::chrono::seconds(10));
}

std::string RunManager::next_id() {
  return id_prefix_ + "-" + std::to_string(submitted_);
}

std::string RunManager::refusal_locked() const {
  return "too many runs: " + std::to_string(running_.size()) + " running (--max-runs " +
         std::to_string(limits_.max_runs) + ") and " + std::to_string(queue_.size() + storing_) +
         " queued (--max-queued-runs " + std::to_string(limits_.max_queued) + "); try again later";
}

void RunManager::submit(std::shared_ptr<const engine::Plan> plan, engine::RunOptions options,
                        Labels labels, std::shared_ptr<const v1::SubmitRunRequest> request,
                        SubmitDone done) {
  std::shared_ptr<RunRecord> run;
  {
    std::lock_guard lock(mutex_);
    if (!accepting_)
      return done({nullptr, false, SubmitError::shutting_down, "the daemon is shutting down"});
    // Runs being stored will run or queue: they count against both limits together.
    if (running_.size() + queue_.size() + storing_ >= limits_.max_runs + limits_.max_queued)
      return done({nullptr, false, SubmitError::queue_full, refusal_locked()});
    ++submitted_;
    run = std::make_shared<RunRecord>(next_id(), submitted_, std::move(labels), std::move(plan),
                                      std::move(options), limits_.events);
    if (history_) ++storing_;
  }
  if (!history_) return admit(run, std::nullopt, done);

  auto link = std::make_shared<HistoryLink>(history_->writer(), run->number(), run);
  run->attach_history(link);
  store::NewRun stored{run->number(), run->info(), std::move(request), {}};
  history_->writer().add_run(std::move(stored), std::move(link),
                             [this, run, done = std::move(done)](std::optional<std::string> error) {
                               admit(run, std::move(error), done);
                             });
}

void RunManager::admit(const std::shared_ptr<RunRecord>& run,
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
        queue_.push_back(run);
      }
    }
    if (running_.empty() && storing_ == 0) idle_.notify_all();
  }
  if (store_error) {
    log(LogLevel::error, "run not stored, refused", {{"error", *store_error}});
    return done({nullptr, false, SubmitError::not_stored, "cannot store the run: " + *store_error});
  }
  if (too_late) {
    run->finish_unstarted(v1::RUN_STATE_CANCELLED, "the daemon shut down before the run started");
  } else {
    log(LogLevel::debug, run_now ? "run started" : "run queued", {{"run", run->id()}});
    if (run_now) start(run);
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
                                           std::move(restored.labels), std::move(restored.plan),
                                           std::move(restored.options), limits_.events,
                                           restored.submitted_ms);
    if (history_) {
      auto link = std::make_shared<HistoryLink>(history_->writer(), run->number(), run);
      run->attach_history(link);
      history_->writer().track_run(run->number(), std::move(link));
      std::lock_guard lock(mutex_);
      ++storing_;  // admit() counts it out: it is stored already
    }
    admit(run, std::nullopt, [](Submission) {});
    log(LogLevel::info, "run restored", {{"run", run->id()}});
  }
}

void RunManager::start(const std::shared_ptr<RunRecord>& run) {
  auto handle =
      engine_.start(run->plan(), run->take_options(), std::make_shared<Observer>(*this, run));
  run->attach(std::move(handle));
}

void RunManager::on_finished(const std::shared_ptr<RunRecord>& run, v1::RunState state) {
  std::vector<std::shared_ptr<RunRecord>> to_start;
  {
    std::lock_guard lock(mutex_);
    running_.erase(run->id());
    remember_finished(run);
    while (accepting_ && running_.size() < limits_.max_runs && !queue_.empty()) {
      auto next = std::move(queue_.front());
      queue_.pop_front();
      running_.emplace(next->id(), next);
      next->mark_running();
      to_start.push_back(std::move(next));
    }
    if (running_.empty() && storing_ == 0) idle_.notify_all();
  }
  if (log_enabled(LogLevel::info))
    log(LogLevel::info, "run finished", {{"run", run->id()}, {"state", state_name(state)}});
  for (const auto& next : to_start) start(next);
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
    if (auto q = std::find(queue_.begin(), queue_.end(), run); q != queue_.end()) {
      queue_.erase(q);
      remember_finished(run);
      was_queued = true;
    }
  }
  if (was_queued) {
    run->finish_unstarted(v1::RUN_STATE_CANCELLED, {});
    log(LogLevel::info, "run finished", {{"run", id}, {"state", "cancelled"}});
  } else {
    run->request_cancel();
  }
  return run->state();
}

void RunManager::stop_accepting() {
  std::deque<std::shared_ptr<RunRecord>> dropped;
  {
    std::lock_guard lock(mutex_);
    accepting_ = false;
    dropped.swap(queue_);
    for (const auto& run : dropped) remember_finished(run);
  }
  for (const auto& run : dropped)
    run->finish_unstarted(v1::RUN_STATE_CANCELLED, "the daemon shut down before the run started");
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

std::size_t RunManager::running() const {
  std::lock_guard lock(mutex_);
  return running_.size();
}

std::size_t RunManager::queued() const {
  std::lock_guard lock(mutex_);
  return queue_.size();
}

}  // namespace agdf::service
