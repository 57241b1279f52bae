#include "batch_builder.hpp"

#include "agdf/store/store_codec.hpp"
#include "agdf/store/store_writer.hpp"

namespace agdf::store::detail {

bool is_final(v1::RunState state) {
  return state == v1::RUN_STATE_COMPLETED || state == v1::RUN_STATE_HALTED ||
         state == v1::RUN_STATE_CANCELLED || state == v1::RUN_STATE_FAILED;
}

EventChunk marker(std::uint64_t run, std::uint64_t from, std::uint64_t to) {
  v1::RunEvent event;
  event.set_seq(to);
  event.set_time_unix_ms(unix_ms_now());
  event.mutable_missed()->set_from_seq(from);
  event.mutable_missed()->set_to_seq(to);
  return single_event_chunk(run, event);
}

std::int64_t unix_ms_now() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

BatchBuilder::BatchBuilder(std::unordered_map<std::uint64_t, Tracked>& runs,
                           std::uint64_t max_events_per_run)
    : runs_(runs), max_events_per_run_(max_events_per_run) {}

void BatchBuilder::add(Op& op) {
  std::visit([this](auto& o) { take(o); }, op);
}

WriteBatch& BatchBuilder::finish() {
  for (auto& [number, run] : runs_)
    if (run.gap.dirty) write_marker(number, run.gap);
  return batch_;
}

Notices BatchBuilder::succeeded() {
  for (auto& done : dones_) notices_.dones.emplace_back(std::move(done), std::nullopt);
  tell_sinks();
  return std::move(notices_);
}

std::vector<ChangeOp> BatchBuilder::failed(const std::string& error) {
  for (auto& done : dones_) notices_.dones.emplace_back(std::move(done), error);
  for (const auto& run : batch_.new_runs) runs_.erase(run.number);
  for (auto& [number, span] : touched_) {
    auto it = runs_.find(number);
    if (it == runs_.end()) continue;
    Tracked& run = it->second;
    run.stored -= std::min(run.stored, span.stored);
    run.not_stored += span.stored;
    if (span.stored > 0) {
      run.gap.from = run.gap.from != 0 ? std::min(run.gap.from, span.first) : span.first;
      run.gap.to = std::max(run.gap.to, span.last);
      run.gap.dirty = true;
    }
  }
  tell_sinks();
  std::vector<ChangeOp> retry;
  for (auto& change : batch_.changes) {
    auto it = runs_.find(change.number);
    if (it != runs_.end()) it->second.final = false;
    retry.push_back({std::move(change), 0});
  }
  return retry;
}

Notices BatchBuilder::notices() {
  return std::move(notices_);
}

void BatchBuilder::take(NewRunOp& op) {
  bytes_ += op.bytes;
  runs_[op.run.number].sink = std::move(op.sink);
  new_run_at_[op.run.number] = batch_.new_runs.size();
  batch_.new_runs.push_back(std::move(op.run));
  dones_.push_back(std::move(op.done));
}

void BatchBuilder::take(TrackOp& op) {
  runs_[op.run].sink = std::move(op.sink);
}

void BatchBuilder::take(ChangeOp& op) {
  bytes_ += op.bytes;
  RunChange& change = op.change;
  if (auto it = runs_.find(change.number); it != runs_.end()) {
    if (!change.info.empty()) set_events_not_stored(change.info, it->second.not_stored);
    if (is_final(change.state)) it->second.final = true;
  }
  // A run inserted or changed earlier in this batch is written once, as it is now.
  if (auto it = new_run_at_.find(change.number); it != new_run_at_.end()) {
    NewRun& inserted = batch_.new_runs[it->second];
    inserted.state = change.state;
    if (!change.info.empty()) {
      inserted.finished_ms = change.finished_ms;
      inserted.info = std::move(change.info);
    }
  } else if (auto at = change_at_.find(change.number); at != change_at_.end()) {
    RunChange& earlier = batch_.changes[at->second];
    earlier.state = change.state;
    if (!change.info.empty()) {
      earlier.finished_ms = change.finished_ms;
      earlier.info = std::move(change.info);
    }
  } else {
    change_at_[change.number] = batch_.changes.size();
    batch_.changes.push_back(std::move(change));
  }
}

void BatchBuilder::take(EventOp& op) {
  bytes_ += op.bytes.size() + kOpOverhead;
  Tracked& run = runs_[op.run];
  Span& span = touch(op.run, op.seq);
  if (run.stored < max_events_per_run_ || op.finished) {
    if (run.gap.from != 0) close_gap(op.run, run.gap);
    add_to_chunk(op.run, op.seq, op.bytes);
    ++run.stored;
    ++span.stored;
    ++stored_;
  } else {
    widen(run, op.seq, op.seq);
  }
}

void BatchBuilder::take(GapOp& op) {
  Tracked& run = runs_[op.run];
  touch(op.run, op.to);
  if (run.gap.from != 0 && run.gap.to + 1 != op.from) close_gap(op.run, run.gap);
  widen(run, op.from, op.to);
}

void BatchBuilder::take(FlushOp& op) {
  notices_.flushes.push_back(std::move(op.done));
}

void BatchBuilder::widen(Tracked& run, std::uint64_t from, std::uint64_t to) {
  if (run.gap.from == 0) run.gap.from = from;
  run.gap.to = to;
  run.gap.dirty = true;
  run.not_stored += to - from + 1;
  not_stored_ += to - from + 1;
}

void BatchBuilder::close_gap(std::uint64_t number, Gap& gap) {
  if (gap.dirty) write_marker(number, gap);
  gap = {};
}

void BatchBuilder::write_marker(std::uint64_t number, Gap& gap) {
  batch_.chunks.push_back(marker(number, gap.from, gap.to));
  open_chunk_.erase(number);  // the run's next events start a chunk after the marker
  gap.dirty = false;
}

void BatchBuilder::add_to_chunk(std::uint64_t number, std::uint64_t seq, std::string_view bytes) {
  auto it = open_chunk_.find(number);
  if (it == open_chunk_.end() || batch_.chunks[it->second].events.size() >= kChunkBytes) {
    it = open_chunk_.insert_or_assign(number, batch_.chunks.size()).first;
    batch_.chunks.push_back({number, seq, seq, {}});
  }
  EventChunk& chunk = batch_.chunks[it->second];
  chunk.last_seq = seq;
  append_to_chunk(chunk.events, bytes);
}

BatchBuilder::Span& BatchBuilder::touch(std::uint64_t number, std::uint64_t seq) {
  Span& span = touched_[number];
  if (span.first == 0) span.first = seq;
  span.last = std::max(span.last, seq);
  return span;
}

void BatchBuilder::tell_sinks() {
  for (const auto& [number, span] : touched_) {
    auto it = runs_.find(number);
    if (it != runs_.end() && it->second.sink)
      notices_.stored.push_back({it->second.sink, span.last, it->second.not_stored});
  }
  std::erase_if(runs_, [](const auto& entry) { return entry.second.final; });
}

void Notices::deliver() {
  for (auto& [done, error] : dones) done(std::move(error));
  for (auto& s : stored) s.sink->on_stored(s.seq, s.not_stored);
  for (auto& flush : flushes) flush->set_value();
}

}  // namespace agdf::store::detail
