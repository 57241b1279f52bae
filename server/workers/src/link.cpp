#include "link.hpp"

#include "worker_stream.hpp"

namespace agdf::workers::detail {

std::int64_t steady_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

namespace {

/// How long Work is held after the worker answered, for the runs to react to the answer.
constexpr auto kHold = std::chrono::microseconds(150);
/// Work messages the worker may not have answered yet. (Two, so that it works on one while
/// the daemon takes in its answer to the other, measured slower: smaller messages.)
constexpr int kUnanswered = 1;

}  // namespace

Link::Link(std::string link_id, WorkerStream* stream, boost::asio::any_io_executor executor)
    : id(std::move(link_id)), last_heard_ms(steady_ms()), stream_(stream), hold_(executor) {
  last_sent_ms_ = steady_ms();
}

void Link::send(v1::DaemonMessage message) {
  std::unique_lock lock(io_);
  if (finish_) return;
  control_.push_back(std::move(message));
  perform(next(), lock);
}

void Link::finish(grpc::Status status) {
  std::unique_lock lock(io_);
  if (finish_) return;
  finish_ = std::move(status);
  has_work_ = false;
  work_.Clear();
  perform(next(), lock);
}

void Link::heartbeat_if_idle(std::chrono::milliseconds interval) {
  std::unique_lock lock(io_);
  if (finish_ || write_in_flight_ || steady_ms() - last_sent_ms_ < interval.count()) return;
  v1::DaemonMessage beat;
  beat.mutable_heartbeat();
  control_.push_back(std::move(beat));
  perform(next(), lock);
}

void Link::heard() {
  std::lock_guard lock(io_);
  if (work_unanswered_ == 0 || holding_) return;
  work_unanswered_ = 0;
  holding_ = true;
  hold_.expires_after(kHold);
  hold_.async_wait([weak = weak_from_this()](boost::system::error_code) {
    if (auto self = weak.lock()) {
      std::unique_lock lock(self->io_);
      self->holding_ = false;
      self->perform(self->next(), lock);
    }
  });
}

void Link::flush_if_waiting(std::chrono::milliseconds longer_than) {
  std::unique_lock lock(io_);
  if (!has_work_ || work_unanswered_ == 0 || steady_ms() - work_since_ms_ < longer_than.count())
    return;
  work_unanswered_ = 0;
  perform(next(), lock);
}

void Link::on_write_done(bool ok) {
  std::unique_lock lock(io_);
  write_in_flight_ = false;
  if (!ok && !finish_) {
    // The stream broke; the read side reports it to the dispatcher. End our side too.
    finish_ = grpc::Status(grpc::StatusCode::UNAVAILABLE, "the stream to the worker broke");
    control_.clear();
    has_work_ = false;
  }
  perform(next(), lock);
}

void Link::detach() {
  std::lock_guard lock(io_);
  stream_ = nullptr;
  finished_ = true;
  hold_.cancel();
}

Link::Step Link::next() {
  if (write_in_flight_ || finished_ || stream_ == nullptr) return Step::none;
  if (!control_.empty()) {
    writing_ = std::move(control_.front());
    control_.pop_front();
  } else if (has_work_) {
    if (work_unanswered_ >= kUnanswered || holding_) return Step::none;
    // The Work last written (when the last message was one) is cleared, not freed, and
    // swapped in to be filled next: its strings are reused rather than allocated per call.
    v1::Work* out = writing_.mutable_work();
    out->Clear();
    out->Swap(&work_);
    has_work_ = false;
    ++work_unanswered_;
  } else {
    if (!finish_) return Step::none;
    finished_ = true;
    return Step::finish;
  }
  write_in_flight_ = true;
  last_sent_ms_ = steady_ms();
  return Step::write;
}

void Link::perform(Step step, std::unique_lock<std::mutex>& lock) {
  if (step == Step::none) return;
  // The flags set by next() keep everyone else off the stream and off writing_ until the
  // write completes, so the stream is called without the lock: a reaction gRPC might run
  // on this very thread must be free to take it.
  WorkerStream* stream = stream_;
  const grpc::Status status = step == Step::finish ? *finish_ : grpc::Status::OK;
  lock.unlock();
  if (step == Step::write)
    stream->StartWrite(&writing_);
  else
    stream->Finish(status);
}

}  // namespace agdf::workers::detail
