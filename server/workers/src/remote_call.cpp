#include "remote_call.hpp"

#include <boost/asio/async_result.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/system/system_error.hpp>

namespace asio = boost::asio;

namespace agdf::workers::detail {
namespace {

thread_local ResumeBatch* open_batch = nullptr;

}  // namespace

ResumeBatch::ResumeBatch(asio::any_io_executor strand)
    : strand_(std::move(strand)), outer_(open_batch) {
  open_batch = this;
}

ResumeBatch::~ResumeBatch() {
  drain();
  open_batch = outer_;
}

ResumeBatch* ResumeBatch::covering(const asio::any_io_executor& strand) {
  return open_batch != nullptr && open_batch->strand_ == strand ? open_batch : nullptr;
}

void ResumeBatch::add(Resumption waiter, std::exception_ptr error) {
  queue_.push_back({std::move(waiter), std::move(error)});
}

void ResumeBatch::drain() {
  while (!queue_.empty()) {
    Entry entry = std::move(queue_.front());
    queue_.pop_front();
    entry.waiter(std::move(entry.error));
  }
}

RemoteCall::RemoteCall(asio::any_io_executor strand, CallRequest request)
    : strand_(std::move(strand)), request_(std::move(request)) {}

std::uint32_t RemoteCall::deliver(Delivery delivery) {
  if (delivery.attempt < attempt_) return 0;  // from a worker the call was taken from
  if (delivery.attempt > attempt_) {
    // Another worker runs the call now; it yields everything again from the start.
    attempt_ = delivery.attempt;
    inbox_.clear();
    seen_ = 0;
  }
  give_up_at_.reset();
  worker_ = std::move(delivery.worker);
  std::uint32_t dropped = 0;
  for (auto& item : delivery.items) {
    if (seen_++ < taken_)
      ++dropped;  // an earlier attempt forwarded this one already
    else
      inbox_.push_back(std::move(item));
  }
  if (delivery.done) {
    done_ = true;
    error_ = std::move(delivery.error);
  }
  wake();
  return dropped;
}

void RemoteCall::unserved(std::chrono::milliseconds wait, std::string why) {
  if (done_ || give_up_at_) return;
  give_up_at_ = std::chrono::steady_clock::now() + wait;
  unserved_why_ = std::move(why);
  wake();
}

std::optional<std::string> RemoteCall::take_item() {
  if (inbox_.empty()) return std::nullopt;
  std::string item = std::move(inbox_.front());
  inbox_.pop_front();
  ++taken_;
  return item;
}

void RemoteCall::after(const std::shared_ptr<RemoteCall>& previous) {
  if (!previous || previous->released_) return;
  previous_ = previous;
  previous->next_ = weak_from_this();
}

void RemoteCall::release() {
  if (released_) return;
  released_ = true;
  previous_.reset();
  if (auto next = next_.lock()) next->wake();
}

asio::awaitable<void> RemoteCall::wait() {
  return asio::async_initiate<const asio::use_awaitable_t<>&, void(std::exception_ptr)>(
      [this](auto handler) { park(Resumption(std::move(handler))); }, asio::use_awaitable);
}

void RemoteCall::park(Resumption waiter) {
  waiter_ = std::move(waiter);
  if (woken_) return resume(nullptr);
  std::weak_ptr<RemoteCall> weak = weak_from_this();
  if (auto& slot = waiter_.cancellation_slot(); slot.is_connected()) {
    // A halt, a cancellation or a timeout: the wait ends in operation_aborted. The
    // handler may outlive the wait (the slot is the engine's), hence the weak pointer.
    slot.assign([weak, strand = strand_](asio::cancellation_type) {
      asio::post(strand, [weak] {
        if (auto self = weak.lock())
          self->resume(
              std::make_exception_ptr(boost::system::system_error(asio::error::operation_aborted)));
      });
    });
  }
  if (give_up_at_) {
    if (!give_up_timer_) give_up_timer_.emplace(strand_);
    give_up_timer_->expires_at(*give_up_at_);
    give_up_timer_->async_wait([weak](boost::system::error_code ec) {
      if (auto self = weak.lock(); self && !ec) self->wake();
    });
  }
}

void RemoteCall::resume(std::exception_ptr error) {
  if (!waiter_) return;
  woken_ = false;
  if (give_up_timer_) give_up_timer_->cancel();
  if (auto& slot = waiter_.cancellation_slot(); slot.is_connected()) slot.clear();
  if (ResumeBatch* batch = ResumeBatch::covering(strand_))
    return batch->add(std::move(waiter_), std::move(error));
  asio::post(strand_, [waiter = std::move(waiter_), error = std::move(error)]() mutable {
    waiter(std::move(error));
  });
}

void RemoteCall::wake() {
  woken_ = true;
  resume(nullptr);
}

}  // namespace agdf::workers::detail
