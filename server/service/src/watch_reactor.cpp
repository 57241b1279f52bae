#include "watch_reactor.hpp"

#include "agdf/service/convert.hpp"
#include "agdf/service/log.hpp"

namespace agdf::service {
namespace {

EventPtr missed_event(const std::string& run_id, std::uint64_t from, std::uint64_t to) {
  auto event = std::make_shared<v1::RunEvent>();
  event->set_run_id(run_id);
  event->set_seq(to);  // so "last seen + 1" resumes right after the gap
  event->set_time_unix_ms(unix_ms_now());
  event->mutable_missed()->set_from_seq(from);
  event->mutable_missed()->set_to_seq(to);
  return event;
}

}  // namespace

WatchReactor::WatchReactor(std::shared_ptr<RunRecord> run, std::uint64_t from_seq,
                           StreamCount* open, RunHooks* hooks)
    : run_(std::move(run)),
      open_(open),
      hooks_(hooks),
      next_seq_(std::max<std::uint64_t>(from_seq, 1)) {
  if (open_) open_->opened();
}

WatchReactor* WatchReactor::start(std::shared_ptr<RunRecord> run, std::uint64_t from_seq,
                                  StreamCount& open, RunHooks& hooks) {
  log(LogLevel::debug, "watch started", {{"run", run->id()}, {"from_seq", from_seq}});
  auto reactor = std::make_shared<WatchReactor>(std::move(run), from_seq, &open, &hooks);
  reactor->self_ = reactor;
  reactor->pump();
  return reactor.get();
}

WatchReactor* WatchReactor::refuse(grpc::Status status) {
  auto reactor = std::make_shared<WatchReactor>(nullptr, 0, nullptr);
  reactor->self_ = reactor;
  reactor->finishing_ = true;
  reactor->Finish(std::move(status));
  return reactor.get();
}

void WatchReactor::pump() {
  EventPtr event;
  bool last = false;
  bool cancelled = false;
  {
    std::lock_guard lock(mutex_);
    if (writing_ || finishing_) return;
    if (cancelled_) {
      finishing_ = cancelled = true;
    } else {
      EventLookup found = run_->next_event(next_seq_, shared_from_this());
      switch (found.kind) {
        case EventLookup::Kind::not_yet:
          return;  // woken when it is appended
        case EventLookup::Kind::end:
          finishing_ = true;
          break;
        case EventLookup::Kind::event:
          event = std::move(found.event);
          next_seq_ = event->seq() + 1;
          last = event->has_finished();
          break;
        case EventLookup::Kind::missed:
          event = missed_event(run_->id(), next_seq_, found.missed_to);
          if (hooks_) hooks_->on_events_missed(found.missed_to - next_seq_ + 1);
          next_seq_ = found.missed_to + 1;
          break;
      }
      writing_ = event;
      finishing_ = finishing_ || last;
    }
  }
  if (!event) return Finish(cancelled ? grpc::Status::CANCELLED : grpc::Status::OK);
  if (last) return StartWriteAndFinish(event.get(), grpc::WriteOptions(), grpc::Status::OK);
  StartWrite(event.get());
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
    if (!writing_ && !finishing_) finish_now = finishing_ = true;
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
