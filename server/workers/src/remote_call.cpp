#include "remote_call.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/system/system_error.hpp>

namespace asio = boost::asio;

namespace agdf::workers::detail {

RemoteCall::RemoteCall(asio::any_io_executor strand, CallRequest request)
    : strand_(std::move(strand)),
      request_(std::move(request)),
      timer_(strand_, std::chrono::steady_clock::time_point::max()) {}

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
  if (woken_) {
    woken_ = false;
    co_return;
  }
  timer_.expires_at(give_up_at_.value_or(std::chrono::steady_clock::time_point::max()));
  co_await timer_.async_wait(asio::as_tuple(asio::use_awaitable));
  woken_ = false;
  auto state = co_await asio::this_coro::cancellation_state;
  if (state.cancelled() != asio::cancellation_type::none)
    throw boost::system::system_error(asio::error::operation_aborted);
}

void RemoteCall::wake() {
  woken_ = true;
  timer_.cancel();
}

}  // namespace agdf::workers::detail
