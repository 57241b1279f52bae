#include "agdf/service/run_record.hpp"

#include <algorithm>

#include "agdf/service/convert.hpp"

namespace agdf::service {

RunRecord::RunRecord(std::string id, std::uint64_t number, Labels labels,
                     std::shared_ptr<const engine::Plan> plan, EventLogLimits limits,
                     std::string submitted_by, std::int64_t submitted_ms, RunHooks* hooks)
    : id_(std::move(id)),
      number_(number),
      labels_(std::move(labels)),
      submitted_by_(std::move(submitted_by)),
      plan_(std::move(plan)),
      submitted_ms_(submitted_ms != 0 ? submitted_ms : unix_ms_now()),
      hooks_(hooks),
      log_(limits) {
  fill_zero_stats(*plan_, *summary_.mutable_stats());
}

template <typename Update>
void RunRecord::publish(v1::RunEvent&& event, Changes changes, Update&& update) {
  std::vector<std::shared_ptr<EventWaiter>> woken;
  std::vector<std::function<void(v1::RunState)>> final_callbacks;
  v1::RunState state;
  {
    std::lock_guard lock(mutex_);
    if (log_.closed()) return;
    update();
    event.set_run_id(id_);
    event.set_time_unix_ms(unix_ms_now());
    log_.append(std::move(event));
    if (history_) {
      // Watchers wait for on_stored: the event is not theirs until it is durable.
      history_->on_event(log_.newest());
      if (changes == Changes::summary) history_->on_change(info_locked());
      if (changes == Changes::state) history_->on_state(state_);
    } else {
      woken.swap(waiters_);
      if (log_.closed()) final_callbacks.swap(when_final_);
    }
    state = state_;
  }
  if (hooks_) hooks_->on_event_written();
  for (const auto& waiter : woken) waiter->on_event_available();
  for (const auto& callback : final_callbacks) callback(state);
}

// ---- lifecycle ------------------------------------------------------------------

void RunRecord::mark_running() {
  std::lock_guard lock(mutex_);
  state_ = v1::RUN_STATE_RUNNING;
}

void RunRecord::attach(std::shared_ptr<engine::RunHandle> handle) {
  bool cancel = false;
  {
    std::lock_guard lock(mutex_);
    if (is_final(state_)) return;  // finished before start() even returned
    handle_ = handle;
    cancel = cancel_requested_;
  }
  if (cancel) handle->cancel();
}

void RunRecord::request_cancel() {
  std::shared_ptr<engine::RunHandle> handle;
  {
    std::lock_guard lock(mutex_);
    cancel_requested_ = true;
    handle = handle_;
  }
  if (handle) handle->cancel();
}

void RunRecord::finish_unstarted(v1::RunState state, std::string failure) {
  v1::RunEvent event;
  v1::RunFinished* finished = event.mutable_finished();
  finished->set_state(state);
  finished->set_failure(failure);
  fill_zero_stats(*plan_, *finished->mutable_stats());
  publish(std::move(event), Changes::summary, [&] {
    state_ = state;
    finished_ms_ = unix_ms_now();
    summary_ = *finished;
  });
}

void RunRecord::abandon(std::string failure) {
  v1::RunEvent event;
  v1::RunFinished* finished = event.mutable_finished();
  finished->set_state(v1::RUN_STATE_FAILED);
  finished->set_failure(valid_utf8(failure));
  publish(std::move(event), Changes::summary, [&] {
    *finished->mutable_stats() = summary_.stats();
    state_ = v1::RUN_STATE_FAILED;
    finished_ms_ = unix_ms_now();
    summary_ = *finished;
  });
}

// ---- what the run reports -------------------------------------------------------

void RunRecord::on_started(std::span<const engine::StartCall> starts) {
  v1::RunEvent event;
  auto* started = event.mutable_started();
  for (const auto& start : starts) *started->add_start_nodes() = to_proto(start);
  publish(std::move(event), Changes::state, [&] {
    state_ = v1::RUN_STATE_RUNNING;
    started_ms_ = unix_ms_now();
  });
}

void RunRecord::on_stats(std::span<const engine::NodeSnapshot> nodes) {
  v1::RunEvent event;
  auto* stats = event.mutable_stats();
  for (const auto& node : nodes) *stats->add_nodes() = to_proto(node);
  publish(std::move(event), Changes::none, [&] { *summary_.mutable_stats() = stats->nodes(); });
}

void RunRecord::on_node_error(const std::string& node, const engine::ErrorRecord& error) {
  v1::RunEvent event;
  auto* node_error = event.mutable_node_error();
  node_error->set_node(node);
  node_error->mutable_error()->set_type(valid_utf8(error.type));
  node_error->mutable_error()->set_message(valid_utf8(error.message));
  publish(std::move(event), Changes::none, [] {});
}

void RunRecord::on_retry(const std::string& node, std::int64_t attempt,
                         const engine::ErrorRecord& error, std::chrono::milliseconds delay) {
  v1::RunEvent event;
  auto* retry = event.mutable_retry();
  retry->set_node(node);
  retry->set_attempt(attempt);
  retry->mutable_error()->set_type(valid_utf8(error.type));
  retry->mutable_error()->set_message(valid_utf8(error.message));
  retry->set_delay_ms(static_cast<std::uint64_t>(std::max<std::int64_t>(delay.count(), 0)));
  publish(std::move(event), Changes::none, [] {});
}

void RunRecord::on_log(const std::string& node, const std::string& line) {
  v1::RunEvent event;
  event.mutable_log()->set_node(node);
  event.mutable_log()->set_line(valid_utf8(line));
  publish(std::move(event), Changes::none, [] {});
}

void RunRecord::on_output(const std::string& node, const Item& item) {
  v1::RunEvent event;
  event.mutable_output()->set_node(node);
  event.mutable_output()->set_item_json(to_json_text(item));
  publish(std::move(event), Changes::none, [] {});
}

void RunRecord::on_finished(const engine::RunResult& result) {
  v1::RunEvent event;
  fill_final(result, *event.mutable_finished());
  std::shared_ptr<engine::RunHandle> handle;
  publish(std::move(event), Changes::summary, [&] {
    state_ = to_proto(result.status);
    finished_ms_ = unix_ms_now();
    summary_ = event.finished();
    handle = std::move(handle_);  // the run no longer needs keeping alive from here
  });
}

void RunRecord::when_final(std::function<void(v1::RunState)> callback) {
  v1::RunState state;
  {
    std::lock_guard lock(mutex_);
    if (!log_.closed() || (history_ && stored_seq_ < log_.last_seq())) {
      when_final_.push_back(std::move(callback));
      return;
    }
    state = state_;
  }
  callback(state);
}

// ---- the run history --------------------------------------------------------------

void RunRecord::attach_history(std::shared_ptr<RecordSink> sink) {
  std::lock_guard lock(mutex_);
  history_ = std::move(sink);
}

void RunRecord::on_stored(std::uint64_t seq, std::uint64_t not_stored) {
  std::vector<std::shared_ptr<EventWaiter>> woken;
  std::vector<std::function<void(v1::RunState)>> final_callbacks;
  v1::RunState state;
  {
    std::lock_guard lock(mutex_);
    stored_seq_ = std::max(stored_seq_, seq);
    not_stored_ = not_stored;
    woken.swap(waiters_);
    // The end is told once it is durable: a CancelRun answer survives a crash.
    if (log_.closed() && stored_seq_ >= log_.last_seq()) final_callbacks.swap(when_final_);
    state = state_;
  }
  for (const auto& waiter : woken) waiter->on_event_available();
  for (const auto& callback : final_callbacks) callback(state);
}

bool RunRecord::settled() const {
  std::lock_guard lock(mutex_);
  return log_.closed() && (!history_ || stored_seq_ >= log_.last_seq());
}

// ---- readers --------------------------------------------------------------------

EventLookup RunRecord::next_event(std::uint64_t seq, const std::shared_ptr<EventWaiter>& waiter) {
  seq = std::max<std::uint64_t>(seq, 1);
  std::lock_guard lock(mutex_);
  EventLookup found;
  if (history_ && seq > stored_seq_ && seq <= log_.last_seq()) {
    found.kind = EventLookup::Kind::not_yet;  // numbered, not yet stored
  } else {
    found = log_.at(seq);
    // Gone from memory, but in the store (as far as it is stored yet).
    if (history_ && found.kind == EventLookup::Kind::missed) {
      found.kind = EventLookup::Kind::stored;
      found.missed_to = std::min(found.missed_to, stored_seq_);
    }
  }
  if (found.kind == EventLookup::Kind::not_yet &&
      std::find(waiters_.begin(), waiters_.end(), waiter) == waiters_.end())
    waiters_.push_back(waiter);
  return found;
}

void RunRecord::remove_waiter(const EventWaiter* waiter) {
  std::lock_guard lock(mutex_);
  std::erase_if(waiters_, [waiter](const auto& w) { return w.get() == waiter; });
}

EventLookup RunRecord::event_at(std::uint64_t seq) const {
  std::lock_guard lock(mutex_);
  return log_.at(seq);
}

v1::RunState RunRecord::state() const {
  std::lock_guard lock(mutex_);
  return state_;
}

v1::RunInfo RunRecord::info() const {
  std::lock_guard lock(mutex_);
  return info_locked();
}

v1::RunInfo RunRecord::info_locked() const {
  v1::RunInfo info;
  info.set_run_id(id_);
  for (const auto& [key, value] : labels_) (*info.mutable_labels())[key] = value;
  info.set_submitted_unix_ms(submitted_ms_);
  info.set_submitted_by(submitted_by_);
  fill_start_nodes(*plan_, *info.mutable_start_nodes());
  info.set_state(state_);
  info.set_started_unix_ms(started_ms_);
  info.set_finished_unix_ms(finished_ms_);
  *info.mutable_stats() = summary_.stats();
  *info.mutable_exceptions() = summary_.exceptions();
  info.set_last_seq(log_.last_seq());
  info.set_failure(summary_.failure());
  info.set_events_not_stored(not_stored_);
  return info;
}

bool RunRecord::matches(v1::RunState state,
                        const google::protobuf::Map<std::string, std::string>& labels) const {
  for (const auto& [key, value] : labels) {
    auto it = labels_.find(key);
    if (it == labels_.end() || it->second != value) return false;
  }
  return state == v1::RUN_STATE_UNSPECIFIED || this->state() == state;
}

bool RunRecord::matches(const v1::ListRunsRequest& request) const {
  if (!request.submitted_by().empty() && request.submitted_by() != submitted_by_) return false;
  return matches(request.state(), request.labels());
}

}  // namespace agdf::service
