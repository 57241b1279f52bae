#include "watch_reactor.hpp"

#include "agdf/service/convert.hpp"
#include "agdf/service/log.hpp"

namespace agdf::service {
namespace {

/// Events asked of the store at a time.
constexpr std::size_t kReadChunk = 256;

EventPtr missed_event(const std::string& run_id, std::uint64_t from, std::uint64_t to) {
  auto event = std::make_shared<v1::RunEvent>();
  event->set_run_id(run_id);
  event->set_seq(to);  // so "last seen + 1" resumes right after the gap
  event->set_time_unix_ms(unix_ms_now());
  event->mutable_missed()->set_from_seq(from);
  event->mutable_missed()->set_to_seq(to);
  return event;
}

/// The first seq an event (or an EventsMissed marker) stands for, and the last.
std::uint64_t first_seq(const v1::RunEvent& e) {
  return e.has_missed() ? e.missed().from_seq() : e.seq();
}
std::uint64_t last_seq(const v1::RunEvent& e) {
  return e.has_missed() ? e.missed().to_seq() : e.seq();
}

}  // namespace

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
  auto reactor =
      std::make_shared<WatchReactor>(std::move(run), from_seq, &open, history, &hooks);
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
    const std::size_t asked = std::min<std::uint64_t>(read_to - read_from + 1, kReadChunk);
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
    std::uint64_t expected = from;
    for (v1::RunEvent& event : events) {
      if (first_seq(event) > to) break;
      if (first_seq(event) > expected)  // the store lacks these (deleted, or never written)
        ready_.push_back(missed_event(run_->id(), expected, first_seq(event) - 1));
      expected = last_seq(event) + 1;
      event.set_run_id(run_->id());
      ready_.push_back(std::make_shared<const v1::RunEvent>(std::move(event)));
    }
    const bool store_has_more = events.size() == asked && expected <= to;
    if (!store_has_more && expected <= to) {
      ready_.push_back(missed_event(run_->id(), expected, to));
      expected = to + 1;
    }
    next_seq_ = expected;
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
