// GET /api/runs/ID/stream: a run's events as server-sent events, live until RunFinished.
// Each event is `id: SEQ` and `data: JSON` (the shape `agdf --json watch` prints), so a
// client that reconnects with `Last-Event-ID: SEQ` resumes right after it. Like
// WatchRun, one write is in flight and the next event is read from the run's log when
// it is done; events the log no longer holds are read back from the run history (a
// "missed" event only for what the history lacks too, or without one), and a reader that
// stops reading for the write deadline is cut off. The run never waits for it.
#include <charconv>

#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/experimental/concurrent_channel.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "agdf/client/event_json.hpp"
#include "agdf/service/convert.hpp"
#include "agdf/service/run_requests.hpp"
#include "agdf/service/stored_events.hpp"
#include "agdf/service/watched_run.hpp"
#include "api.hpp"

namespace asio = boost::asio;
using namespace boost::asio::experimental::awaitable_operators;

namespace agdf::http {
namespace {

using Channel = asio::experimental::concurrent_channel<void(boost::system::error_code)>;

/// Woken (from the run's thread) when the event it waits for was appended.
class StreamWaiter final : public service::EventWaiter {
 public:
  explicit StreamWaiter(asio::any_io_executor executor) : channel_(std::move(executor), 1) {}
  void on_event_available() override { channel_.try_send(boost::system::error_code()); }
  Channel& channel() { return channel_; }

 private:
  Channel channel_;
};

/// Removes the waiter from the run however the stream ends.
struct WaiterGuard {
  std::shared_ptr<service::WatchedRun> run;
  std::shared_ptr<StreamWaiter> waiter;
  ~WaiterGuard() { run->remove_waiter(waiter.get()); }
};

std::optional<std::uint64_t> to_number(std::string_view text) {
  std::uint64_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

/// The first seq wanted: after Last-Event-ID, else ?from_seq, else 1.
std::optional<std::uint64_t> first_seq(const Request& request) {
  auto last = request.message.find("Last-Event-ID");
  if (last != request.message.end()) {
    auto seen = to_number(std::string_view(last->value().data(), last->value().size()));
    if (!seen) return std::nullopt;
    return *seen + 1;
  }
  if (auto from = request.param("from_seq")) {
    auto value = to_number(*from);
    if (!value) return std::nullopt;
    return std::max<std::uint64_t>(*value, 1);
  }
  return 1;
}

std::string sse_frame(const v1::RunEvent& event) {
  std::string frame = "id: " + std::to_string(event.seq()) + "\ndata: ";
  frame += client::event_to_json(event).dump(-1, ' ', false,
                                             nlohmann::ordered_json::error_handler_t::replace);
  frame += "\n\n";
  return frame;
}

/// Up to `max` stored events of run `number` from `from`, read on the history's readers
/// while this coroutine waits without holding the HTTP thread.
asio::awaitable<std::vector<v1::RunEvent>> read_stored(service::RunHistory& history,
                                                       std::uint64_t number, std::uint64_t from,
                                                       std::size_t max) {
  const auto executor = co_await asio::this_coro::executor;
  co_return co_await asio::async_initiate<const asio::use_awaitable_t<>&,
                                          void(std::vector<v1::RunEvent>)>(
      [&](auto handler) {
        // std::function needs a copyable callable: the handler travels in a shared_ptr.
        auto shared = std::make_shared<decltype(handler)>(std::move(handler));
        auto work = asio::make_work_guard(executor);
        history.read_events(
            number, from, max, [shared, work](std::vector<v1::RunEvent> events) mutable {
              asio::post(work.get_executor(), [shared, events = std::move(events)]() mutable {
                std::move (*shared)(std::move(events));
              });
            });
      },
      asio::use_awaitable);
}

std::string sse_header(const Message& request) {
  std::string header = request.version() == 10 ? "HTTP/1.0 200 OK\r\n" : "HTTP/1.1 200 OK\r\n";
  header +=
      "Server: agdf-server\r\n"
      "Content-Type: text/event-stream\r\n"
      "Cache-Control: no-store\r\n"
      "X-Accel-Buffering: no\r\n"
      "Connection: close\r\n\r\n"
      "retry: 1000\n\n";
  return header;
}

}  // namespace

asio::awaitable<Reply> Api::stream_events(const Request& request, const std::string& id,
                                          Writer& writer) const {
  std::shared_ptr<service::WatchedRun> run = backend_.requests.runs().find(id);
  // A run only the history holds (finished before the daemon last started) streams from it.
  if (service::RunHistory* history = backend_.requests.history(); !run && history) {
    try {
      if (auto stored = history->find(id))
        run = std::make_shared<service::StoredRunView>(id, stored->number, stored->info.last_seq());
    } catch (const std::exception& e) {
      co_return error_reply(request.message, 500,
                            std::string("cannot read the run history: ") + e.what());
    }
  }
  if (!run) co_return status_reply(request.message, service::unknown_run(id));
  auto next = first_seq(request);
  if (!next)
    co_return error_reply(request.message, 400, "Last-Event-ID and from_seq must be integers");

  Reply streamed;
  streamed.streamed = true;
  if (!co_await writer.write(sse_header(request.message))) co_return streamed;

  auto waiter = std::make_shared<StreamWaiter>(writer.executor());
  WaiterGuard guard{run, waiter};
  asio::steady_timer heartbeat(writer.executor());
  std::uint64_t seq = *next;
  for (;;) {
    service::EventLookup found = run->next_event(seq, waiter);
    std::string frame;
    bool last = false;
    switch (found.kind) {
      case service::EventLookup::Kind::end:
        co_return streamed;
      case service::EventLookup::Kind::event:
        frame = sse_frame(*found.event);
        last = found.event->has_finished();
        seq = found.event->seq() + 1;
        break;
      case service::EventLookup::Kind::stored: {
        service::RunHistory* history = backend_.requests.history();
        const std::uint64_t to = found.missed_to;
        const std::size_t asked =
            std::min<std::uint64_t>(to - seq + 1, service::kStoredEventsChunk);
        std::vector<v1::RunEvent> read;
        if (history) read = co_await read_stored(*history, run->number(), seq, asked);
        service::StoredEvents stored = service::stored_events(id, seq, to, asked, std::move(read));
        for (const service::EventPtr& event : stored.events) {
          if (event->has_missed())
            backend_.requests.runs().hooks().on_events_missed(event->missed().to_seq() -
                                                              event->missed().from_seq() + 1);
          frame += sse_frame(*event);
          last = last || event->has_finished();
        }
        seq = stored.next_seq;
        break;
      }
      case service::EventLookup::Kind::missed: {
        v1::RunEvent missed;
        missed.set_run_id(id);
        missed.set_seq(found.missed_to);
        missed.set_time_unix_ms(service::unix_ms_now());
        missed.mutable_missed()->set_from_seq(seq);
        missed.mutable_missed()->set_to_seq(found.missed_to);
        backend_.requests.runs().hooks().on_events_missed(found.missed_to - seq + 1);
        frame = sse_frame(missed);
        seq = found.missed_to + 1;
        break;
      }
      case service::EventLookup::Kind::not_yet: {
        heartbeat.expires_after(options_.heartbeat);
        auto woke = co_await (waiter->channel().async_receive(asio::use_awaitable) ||
                              heartbeat.async_wait(asio::use_awaitable));
        if (woke.index() == 1 && !co_await writer.write(": keep-alive\n\n")) co_return streamed;
        continue;
      }
    }
    if (!co_await writer.write(std::move(frame)) || last) co_return streamed;
  }
}

}  // namespace agdf::http
