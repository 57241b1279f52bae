#include "watch_reactor.hpp"

#include "agdf/service/convert.hpp"
#include "agdf/service/log.hpp"
#include "agdf/service/stored_events.hpp"

namespace agdf::service {

WatchReactor::WatchReactor(std::shared_ptr<WatchedRun> run, std::uint64_t from_seq,
                           StreamCount* open, RunHistory* history, RunHooks* hooks)
    : run_(std::move(run)),
      open_(open),
      history_(history),
      hooks_(hooks),
      next_seq_(std::max<std::uint64_t>(from_seq, 1)) {
  if (open_) open_->opened();
}

WatchReactor* WatchReactor::start(std::shared_ptr<WatchedRun> run, std::uint64_t from_seq,
                                  StreamCount& open, RunHistory* history, RunHooks& hooks) {
  log(LogLevel::debug, "watch started", {{"run", run->id()}, {"from_seq", from_seq}});
  auto reactor = std::make_shared<WatchReactor>(std::move(run), from_seq, &open, history, &hooks);
  reactor->self_ = reactor;
  reactor->pump();
  return reactor.get();
}

WatchReactor* WatchReactor::refuse(grpc::Status status) {
  auto reactor = std::make_shared<WatchReactor>(nullptr, 0, nullptr, nullptr);
  reactor->self_ = reactor;
  reactor->finishing_ = true;
  reactor->Finish(std::move(status));
  return reactor.get();
}

std::shared_ptr<WatchReactor> WatchReactor::awaiting(StreamCount& open, RunHistory* history,
                                                     RunHooks* hooks) {
  auto reactor = std::make_shared<WatchReactor>(nullptr, 1, &open, history, hooks);
  reactor->self_ = reactor;
  reactor->began_ = false;
  return reactor;
}

void WatchReactor::begin(std::shared_ptr<WatchedRun> run, v1::RunEvent first) {
  {
    std::lock_guard lock(mutex_);
    if (finishing_) return;  // the client left before the run was accepted
    run_ = std::move(run);
    ready_.push_back(std::make_shared<const v1::RunEvent>(std::move(first)));
    began_ = true;
  }
  log(LogLevel::debug, "watch started", {{"run", run_->id()}, {"from_seq", 1}});
  pump();
}

void WatchReactor::end(grpc::Status status) {
  {
    std::lock_guard lock(mutex_);
    if (finishing_) return;
    finishing_ = true;
  }
  Finish(std::move(status));
}

void WatchReactor::pump() {
  EventPtr event;
  bool last = false;
  bool cancelled = false;
  std::uint64_t read_from = 0, read_to = 0;
  {
    std::lock_guard lock(mutex_);
    if (writing_ || finishing_ || reading_ || !began_) return;
    if (cancelled_) {
      finishing_ = cancelled = true;
    } else if (!ready_.empty()) {
      event = std::move(ready_.front());
      ready_.pop_front();
    } else {
      EventLookup found = run_->next_event(next_seq_, shared_from_this());
      switch (found.kind) {
        case EventLookup::Kind::not_yet:
          return;  // woken when it can be read
        case EventLookup::Kind::end:
          finishing_ = true;
          break;
        case EventLookup::Kind::event:
          event = std::move(found.event);
          next_seq_ = event->seq() + 1;
          break;
        case EventLookup::Kind::missed:
          event = missed_event(run_->id(), next_seq_, found.missed_to);
          if (hooks_) hooks_->on_events_missed(found.missed_to - next_seq_ + 1);
          next_seq_ = found.missed_to + 1;
          break;
        case EventLookup::Kind::stored:
          reading_ = true;
          read_from = next_seq_;
          read_to = found.missed_to;
          break;
      }
    }
    if (event) {
      last = event->has_finished();
      writing_ = event;
      finishing_ = finishing_ || last;
    }
  }
  if (read_from != 0) {
    const std::size_t asked = std::min<std::uint64_t>(read_to - read_from + 1, kStoredEventsChunk);
    history_->read_events(
        run_->number(), read_from, asked,
        [self = shared_from_this(), read_from, read_to, asked](std::vector<v1::RunEvent> events) {
          self->on_read(read_from, read_to, asked, std::move(events));
        });
    return;
  }
  if (!event) return Finish(cancelled ? grpc::Status::CANCELLED : grpc::Status::OK);
  if (last) return StartWriteAndFinish(event.get(), grpc::WriteOptions(), grpc::Status::OK);
  StartWrite(event.get());
}

void WatchReactor::on_read(std::uint64_t from, std::uint64_t to, std::size_t asked,
                           std::vector<v1::RunEvent> events) {
  {
    std::lock_guard lock(mutex_);
    reading_ = false;
    StoredEvents stored = stored_events(run_->id(), from, to, asked, std::move(events));
    for (EventPtr& event : stored.events) ready_.push_back(std::move(event));
    next_seq_ = stored.next_seq;
  }
  pump();
}

void WatchReactor::OnWriteDone(bool ok) {
  {
    std::lock_guard lock(mutex_);
    writing_.reset();
    if (!ok) {
      if (finishing_) return;
      finishing_ = true;
    }
  }
  if (!ok) return Finish(grpc::Status::CANCELLED);  // the client is gone
  pump();
}

void WatchReactor::OnCancel() {
  bool finish_now = false;
  {
    std::lock_guard lock(mutex_);
    cancelled_ = true;
    // A read in flight finishes the stream when it comes back (through pump).
    if (!writing_ && !finishing_ && !reading_) finish_now = finishing_ = true;
  }
  if (run_) run_->remove_waiter(this);
  if (finish_now) Finish(grpc::Status::CANCELLED);
}

void WatchReactor::OnDone() {
  if (run_) run_->remove_waiter(this);
  log(LogLevel::debug, "watch ended", {{"run", run_ ? run_->id() : std::string()}});
  if (open_) open_->closed();
  std::shared_ptr<WatchReactor> self;  // released last: it may destroy this
  std::lock_guard lock(mutex_);
  writing_.reset();
  self.swap(self_);
}

}  // namespace agdf::service
