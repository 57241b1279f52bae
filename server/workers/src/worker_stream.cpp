#include "worker_stream.hpp"

#include "dispatcher.hpp"
#include "link.hpp"

namespace agdf::workers::detail {

WorkerStream::WorkerStream(Dispatcher& dispatcher)
    : dispatcher_(dispatcher), link_(dispatcher.open(this)) {
  StartRead(&incoming_);
}

void WorkerStream::OnReadDone(bool ok) {
  if (!ok) {
    dispatcher_.on_closed(link_, "the worker closed its stream", /*graceful=*/true);
    return;
  }
  if (dispatcher_.on_message(link_, incoming_)) {
    incoming_.Clear();
    StartRead(&incoming_);
  }
}

void WorkerStream::OnWriteDone(bool ok) {
  link_->on_write_done(ok);
}

void WorkerStream::OnCancel() {
  dispatcher_.on_closed(link_, "the connection to the worker was lost");
}

void WorkerStream::OnDone() {
  link_->detach();
  dispatcher_.on_closed(link_, "the stream ended");
  delete this;  // the callback API's contract: the reactor lives until OnDone
}

}  // namespace agdf::workers::detail
