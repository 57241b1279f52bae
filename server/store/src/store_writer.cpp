#include "agdf/store/store_writer.hpp"

#include "agdf/store/store_codec.hpp"

#include <pthread.h>

#include <algorithm>

namespace agdf::store {
namespace {

/// What a queued item costs against the budget: its encoded size plus bookkeeping.
constexpr std::size_t kOpOverhead = 64;

bool is_final(v1::RunState state) {
  return state == v1::RUN_STATE_COMPLETED || state == v1::RUN_STATE_HALTED ||
         state == v1::RUN_STATE_CANCELLED || state == v1::RUN_STATE_FAILED;
}

std::int64_t unix_ms_now() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

/// A chunk may grow to about this many bytes before the next event starts another one,
/// so a reader resuming in the middle of a long run decodes little it does not need.
constexpr std::size_t kChunkBytes = 32 * 1024;

EventChunk marker(std::uint64_t run, std::uint64_t from, std::uint64_t to) {
  v1::RunEvent event;
  event.set_seq(to);
  event.set_time_unix_ms(unix_ms_now());
  event.mutable_missed()->set_from_seq(from);
  event.mutable_missed()->set_to_seq(to);
  return single_event_chunk(run, event);
}

}  // namespace

/// One transaction in the making: what to write, and whom to tell afterwards.
class StoreWriter::Batch {
 public:
  Batch(std::unordered_map<std::uint64_t, Tracked>& runs, std::uint64_t max_events_per_run)
      : runs_(runs), max_events_per_run_(max_events_per_run) {}

  void add(Op& op) {
    std::visit([this](auto& o) { take(o); }, op);
  }

  /// Writes the markers of gaps still open, so a crash never leaves a gap unmarked.
  WriteBatch& finish() {
    for (auto& [number, run] : runs_)
      if (run.gap.dirty) write_marker(number, run.gap);
    return batch_;
  }

  /// Everyone to tell that the batch is written; run it on any thread.
  Notices succeeded() {
    for (auto& done : dones_) notices_.dones.emplace_back(std::move(done), std::nullopt);
    tell_sinks();
    return std::move(notices_);
  }

  /// Nothing of the batch was written: new runs are refused, events count as not stored
  /// (a marker is written with the next batch), changes are handed back to retry.
  std::vector<ChangeOp> failed(const std::string& error) {
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

  /// Whom to tell after failed(); run it on any thread.
  Notices notices() { return std::move(notices_); }

  std::size_t bytes() const noexcept { return bytes_; }
  std::uint64_t stored() const noexcept { return stored_; }
  std::uint64_t not_stored() const noexcept { return not_stored_; }

 private:
  struct Span {
    std::uint64_t first = 0, last = 0, stored = 0;
  };

  void take(NewRunOp& op) {
    bytes_ += op.bytes;
    runs_[op.run.number].sink = std::move(op.sink);
    new_run_at_[op.run.number] = batch_.new_runs.size();
    batch_.new_runs.push_back(std::move(op.run));
    dones_.push_back(std::move(op.done));
  }

  void take(TrackOp& op) { runs_[op.run].sink = std::move(op.sink); }

  void take(ChangeOp& op) {
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

  void take(EventOp& op) {
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

  void take(GapOp& op) {
    Tracked& run = runs_[op.run];
    touch(op.run, op.to);
    if (run.gap.from != 0 && run.gap.to + 1 != op.from) close_gap(op.run, run.gap);
    widen(run, op.from, op.to);
  }

  void take(FlushOp& op) { notices_.flushes.push_back(std::move(op.done)); }

  void widen(Tracked& run, std::uint64_t from, std::uint64_t to) {
    if (run.gap.from == 0) run.gap.from = from;
    run.gap.to = to;
    run.gap.dirty = true;
    run.not_stored += to - from + 1;
    not_stored_ += to - from + 1;
  }

  void close_gap(std::uint64_t number, Gap& gap) {
    if (gap.dirty) write_marker(number, gap);
    gap = {};
  }

  void write_marker(std::uint64_t number, Gap& gap) {
    batch_.chunks.push_back(marker(number, gap.from, gap.to));
    open_chunk_.erase(number);  // the run's next events start a chunk after the marker
    gap.dirty = false;
  }

  /// Appends to the run's open chunk in this batch, or starts one.
  void add_to_chunk(std::uint64_t number, std::uint64_t seq, std::string_view bytes) {
    auto it = open_chunk_.find(number);
    if (it == open_chunk_.end() || batch_.chunks[it->second].events.size() >= kChunkBytes) {
      it = open_chunk_.insert_or_assign(number, batch_.chunks.size()).first;
      batch_.chunks.push_back({number, seq, seq, {}});
    }
    EventChunk& chunk = batch_.chunks[it->second];
    chunk.last_seq = seq;
    append_to_chunk(chunk.events, bytes);
  }

  Span& touch(std::uint64_t number, std::uint64_t seq) {
    Span& span = touched_[number];
    if (span.first == 0) span.first = seq;
    span.last = std::max(span.last, seq);
    return span;
  }

  void tell_sinks() {
    for (const auto& [number, span] : touched_) {
      auto it = runs_.find(number);
      if (it != runs_.end() && it->second.sink)
        notices_.stored.push_back({it->second.sink, span.last, it->second.not_stored});
    }
    std::erase_if(runs_, [](const auto& entry) { return entry.second.final; });
  }

  std::unordered_map<std::uint64_t, Tracked>& runs_;
  const std::uint64_t max_events_per_run_;
  WriteBatch batch_;
  std::unordered_map<std::uint64_t, std::size_t> new_run_at_;
  std::unordered_map<std::uint64_t, std::size_t> change_at_;
  std::unordered_map<std::uint64_t, std::size_t> open_chunk_;
  std::unordered_map<std::uint64_t, Span> touched_;
  std::vector<Done> dones_;
  Notices notices_;
  std::size_t bytes_ = 0;
  std::uint64_t stored_ = 0;
  std::uint64_t not_stored_ = 0;
};

StoreWriter::StoreWriter(RunStore& store, WriterOptions options)
    : store_(store),
      options_(std::move(options)),
      next_prune_(std::chrono::steady_clock::now()),
      last_alive_(),  // the first batch writes it
      thread_([this] { loop(); }) {}

StoreWriter::~StoreWriter() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_one();
  thread_.join();
}

void StoreWriter::add_run(NewRun run, std::shared_ptr<RunSink> sink, Done done) {
  const std::size_t bytes = kOpOverhead + run.info.size() + run.submission.size();
  enqueue(NewRunOp{std::move(run), std::move(sink), std::move(done), bytes});
}

void StoreWriter::track_run(std::uint64_t number, std::shared_ptr<RunSink> sink) {
  enqueue(TrackOp{number, std::move(sink)});
}

void StoreWriter::change_run(RunChange change) {
  const std::size_t bytes = kOpOverhead + change.info.size();
  enqueue(ChangeOp{std::move(change), bytes});
}

void StoreWriter::add_event(std::uint64_t run, const v1::RunEvent& event) {
  std::string bytes = encode_event(event);
  const std::size_t cost = kOpOverhead + bytes.size();
  const std::uint64_t seq = event.seq();
  const bool essential = event.has_finished();
  bool notify = false;
  {
    std::lock_guard lock(mutex_);
    auto away = turned_away_.find(run);
    if (!essential && queued_bytes_ + cost > options_.max_queued_bytes) {
      if (away == turned_away_.end())
        turned_away_.emplace(run, GapOp{run, seq, seq});
      else
        away->second.to = seq;
      return;  // the writer picks the range up when it next wakes
    }
    if (away != turned_away_.end()) {
      queue_.emplace_back(away->second);
      turned_away_.erase(away);
    }
    notify = queue_.empty();
    queued_bytes_ += cost;
    queue_.emplace_back(EventOp{run, seq, essential, std::move(bytes)});
  }
  if (notify) wake_.notify_one();
}

void StoreWriter::enqueue(Op op) {
  bool notify = false;
  {
    std::lock_guard lock(mutex_);
    notify = queue_.empty();
    std::visit(
        [this](const auto& o) {
          if constexpr (requires { o.bytes + 0; }) queued_bytes_ += o.bytes;
        },
        op);
    queue_.push_back(std::move(op));
  }
  if (notify) wake_.notify_one();
}

void StoreWriter::flush() {
  auto done = std::make_shared<std::promise<void>>();
  auto written = done->get_future();
  enqueue(FlushOp{std::move(done)});
  written.wait();
}

WriterCounters StoreWriter::counters() const {
  std::lock_guard lock(mutex_);
  WriterCounters counters = counters_;
  counters.queued_bytes = queued_bytes_;
  return counters;
}

std::chrono::steady_clock::time_point StoreWriter::next_wakeup() const {
  auto at = std::chrono::steady_clock::time_point::max();
  if (options_.retention.max_runs != 0 || options_.retention.max_age_ms != 0) at = next_prune_;
  if (!runs_.empty()) at = std::min(at, last_alive_ + options_.heartbeat);
  return at;
}

void StoreWriter::loop() {
  pthread_setname_np(pthread_self(), "agdf-store");  // as top -H and perf show it
  std::vector<Op> ops;
  for (;;) {
    {
      std::unique_lock lock(mutex_);
      wake_.wait_until(lock, next_wakeup(),
                       [this] { return stopping_ || !queue_.empty() || !turned_away_.empty(); });
      ops.swap(queue_);
      // Turned-away ranges come after every queued event of their run.
      for (auto& [run, gap] : turned_away_) ops.emplace_back(gap);
      turned_away_.clear();
      if (ops.empty() && stopping_) return;
    }
    if (!ops.empty())
      write(ops);
    else if (!runs_.empty() && std::chrono::steady_clock::now() >= last_alive_ + options_.heartbeat)
      write_heartbeat();
    ops.clear();
    prune_if_due();
  }
}

void StoreWriter::write(std::vector<Op>& ops) {
  Batch batch(runs_, options_.max_events_per_run);
  for (Op& op : ops) batch.add(op);
  WriteBatch& writing = batch.finish();
  const auto now = std::chrono::steady_clock::now();
  if (now >= last_alive_ + std::chrono::seconds(1)) writing.alive_unix_ms = unix_ms_now();

  std::optional<std::string> error;
  if (!writing.empty() || writing.alive_unix_ms != 0) {
    try {
      store_.write(writing);
      if (writing.alive_unix_ms != 0) last_alive_ = now;
    } catch (const StoreError& e) {
      error = e.what();
    }
  }
  Notices notices;
  if (!error) {
    notices = batch.succeeded();
  } else {
    if (options_.on_error) options_.on_error(*error);
    std::vector<ChangeOp> retry = batch.failed(*error);
    notices = batch.notices();
    std::lock_guard lock(mutex_);
    for (auto& change : retry) queue_.emplace_back(std::move(change));
  }
  {
    std::lock_guard lock(mutex_);
    queued_bytes_ -= std::min(queued_bytes_, batch.bytes());
    ++counters_.batches;
    counters_.events_stored += error ? 0 : batch.stored();
    counters_.events_not_stored += batch.not_stored() + (error ? batch.stored() : 0);
    if (error) ++counters_.write_errors;
  }
  // Off this thread when the daemon says so: answering SubmitRuns and waking watchers is
  // gRPC work, and the next batch need not wait for it.
  if (options_.deliver)
    options_.deliver([n = std::make_shared<Notices>(std::move(notices))] { n->deliver(); });
  else
    notices.deliver();
}

void StoreWriter::Notices::deliver() {
  for (auto& [done, error] : dones) done(std::move(error));
  for (auto& s : stored) s.sink->on_stored(s.seq, s.not_stored);
  for (auto& flush : flushes) flush->set_value();
}

void StoreWriter::write_heartbeat() {
  WriteBatch batch;
  batch.alive_unix_ms = unix_ms_now();
  try {
    store_.write(batch);
  } catch (const StoreError& e) {
    if (options_.on_error) options_.on_error(e.what());
  }
  last_alive_ = std::chrono::steady_clock::now();
}

void StoreWriter::prune_if_due() {
  const Retention& retention = options_.retention;
  if (retention.max_runs == 0 && retention.max_age_ms == 0) return;
  const auto now = std::chrono::steady_clock::now();
  if (now < next_prune_) return;
  std::size_t pruned = 0;
  try {
    pruned = store_.prune(retention, unix_ms_now(), options_.prune_chunk);
  } catch (const StoreError& e) {
    if (options_.on_error) options_.on_error(e.what());
  }
  // A full chunk means there is more: go on after whatever was queued meanwhile.
  next_prune_ = pruned == options_.prune_chunk ? now : now + options_.prune_interval;
  std::lock_guard lock(mutex_);
  counters_.runs_pruned += pruned;
}

}  // namespace agdf::store
