#include "agdf/store/store_writer.hpp"

#include "agdf/store/store_codec.hpp"
#include "batch_builder.hpp"

#include <pthread.h>

#include <algorithm>

namespace agdf::store {

using detail::kOpOverhead;
using detail::unix_ms_now;
using namespace detail;  // the queued operations
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
  BatchBuilder batch(runs_, options_.max_events_per_run);
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
