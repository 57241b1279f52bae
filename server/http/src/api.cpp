#include "api.hpp"

#include <charconv>

#include <boost/asio/async_result.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "agdf/client/event_json.hpp"
#include "agdf/nodes/quote.hpp"
#include "agdf/service/convert.hpp"
#include "run_graph.hpp"

namespace asio = boost::asio;

namespace agdf::http {
namespace {

using OrderedJson = nlohmann::ordered_json;

constexpr std::uint64_t kDefaultEventsLimit = 100;
constexpr std::uint64_t kMaxEventsLimit = 1000;

/// A non-negative integer query parameter; `fallback` when absent, nullopt when malformed.
std::optional<std::uint64_t> number_param(const Request& request, const std::string& key,
                                          std::uint64_t fallback) {
  auto text = request.param(key);
  if (!text) return fallback;
  std::uint64_t value = 0;
  auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), value);
  if (ec != std::errc() || end != text->data() + text->size()) return std::nullopt;
  return value;
}

/// `K=V` label filters; false when one has no '=' or an empty key.
bool read_labels(const Request& request, google::protobuf::Map<std::string, std::string>& out,
                 std::string& bad) {
  for (const auto& label : request.params("label")) {
    const auto eq = label.find('=');
    if (eq == std::string::npos || eq == 0) {
      bad = label;
      return false;
    }
    out[label.substr(0, eq)] = label.substr(eq + 1);
  }
  return true;
}

v1::RunEvent missed_event(const std::string& run_id, std::uint64_t from, std::uint64_t to) {
  v1::RunEvent event;
  event.set_run_id(run_id);
  event.set_seq(to);
  event.set_time_unix_ms(service::unix_ms_now());
  event.mutable_missed()->set_from_seq(from);
  event.mutable_missed()->set_to_seq(to);
  return event;
}

/// Completes with the run's final state once it has one, on the caller's executor.
asio::awaitable<v1::RunState> final_state(std::shared_ptr<service::RunRecord> run) {
  auto executor = co_await asio::this_coro::executor;
  co_return co_await asio::async_initiate<decltype(asio::use_awaitable), void(v1::RunState)>(
      [run, executor](auto handler) {
        auto shared = std::make_shared<decltype(handler)>(std::move(handler));
        run->when_final([shared, executor](v1::RunState state) {
          asio::post(executor, [shared, state] { std::move (*shared)(state); });
        });
      },
      asio::use_awaitable);
}

/// What a submission came to, once the run is durable (or refused).
struct Submitted {
  grpc::Status status;
  std::string run_id;
  v1::RunState state = v1::RUN_STATE_UNSPECIFIED;
};

/// Submits through the same path as SubmitRun; completes on the caller's executor.
asio::awaitable<Submitted> submitted_run(service::RunRequests& requests,
                                         const v1::SubmitRunRequest& submit,
                                         const std::string& principal) {
  auto executor = co_await asio::this_coro::executor;
  co_return co_await asio::async_initiate<decltype(asio::use_awaitable), void(Submitted)>(
      [&requests, &submit, &principal, executor](auto handler) {
        auto shared = std::make_shared<decltype(handler)>(std::move(handler));
        requests.submit(
            submit, principal,
            [shared, executor](grpc::Status status, const service::Submission& submission) {
              Submitted out{std::move(status), {}, v1::RUN_STATE_UNSPECIFIED};
              if (out.status.ok()) {
                out.run_id = submission.run->id();
                out.state = submission.queued ? v1::RUN_STATE_QUEUED : v1::RUN_STATE_RUNNING;
              }
              asio::post(executor, [shared, out = std::move(out)]() mutable {
                std::move (*shared)(std::move(out));
              });
            });
      },
      asio::use_awaitable);
}

}  // namespace

Reply Api::list_runs(const Request& request) const {
  v1::ListRunsRequest list;
  if (auto state = request.param("state"); state && !state->empty()) {
    auto parsed = client::parse_state_name(*state);
    if (!parsed)
      return error_reply(request.message, 400,
                         "unknown state " + quote(*state) +
                             " (queued, running, completed, halted, cancelled or failed)");
    list.set_state(*parsed);
  }
  std::string bad;
  if (!read_labels(request, *list.mutable_labels(), bad))
    return error_reply(request.message, 400, "a label filter is K=V, not " + quote(bad));
  auto page_size = number_param(request, "page_size", 0);
  if (!page_size || *page_size > 1000)
    return error_reply(request.message, 400, "page_size must be an integer from 0 to 1000");
  list.set_page_size(static_cast<std::uint32_t>(*page_size));
  if (auto token = request.param("page_token")) list.set_page_token(*token);
  v1::ListRunsResponse response;
  if (auto status = backend_.requests.list_runs(list, response); !status.ok())
    return status_reply(request.message, status);
  OrderedJson runs = OrderedJson::array();
  for (const auto& run : response.runs()) runs.push_back(client::run_info_to_json(run));
  return json_reply(request.message, 200,
                    {{"runs", std::move(runs)}, {"next_page_token", response.next_page_token()}});
}

Reply Api::get_run(const Request& request, const std::string& id) const {
  v1::RunInfo info;
  if (auto status = backend_.requests.get_run(id, info); !status.ok())
    return status_reply(request.message, status);
  return json_reply(request.message, 200, client::run_info_to_json(info));
}

Reply Api::run_graph(const Request& request, const std::string& id) const {
  auto run = backend_.requests.runs().find(id);
  if (!run) return status_reply(request.message, service::unknown_run(id));
  OrderedJson graph = graph_json(*run->plan());
  graph["run_id"] = id;
  return json_reply(request.message, 200, graph);
}

Reply Api::run_events(const Request& request, const std::string& id) const {
  auto run = backend_.requests.runs().find(id);
  if (!run) return status_reply(request.message, service::unknown_run(id));
  auto from = number_param(request, "from_seq", 1);
  auto limit = number_param(request, "limit", kDefaultEventsLimit);
  if (!from || !limit || *limit == 0 || *limit > kMaxEventsLimit)
    return error_reply(request.message, 400,
                       "from_seq must be an integer, limit an integer from 1 to 1000");
  std::uint64_t seq = std::max<std::uint64_t>(*from, 1);
  OrderedJson events = OrderedJson::array();
  bool finished = false;
  while (events.size() < *limit) {
    service::EventLookup found = run->event_at(seq);
    if (found.kind == service::EventLookup::Kind::event) {
      finished = found.event->has_finished();
      events.push_back(client::event_to_json(*found.event));
      seq = found.event->seq() + 1;
    } else if (found.kind == service::EventLookup::Kind::missed) {
      events.push_back(client::event_to_json(missed_event(id, seq, found.missed_to)));
      seq = found.missed_to + 1;
    } else {
      finished = finished || found.kind == service::EventLookup::Kind::end;
      break;
    }
  }
  return json_reply(request.message, 200,
                    {{"events", std::move(events)}, {"next_seq", seq}, {"finished", finished}});
}

asio::awaitable<Reply> Api::cancel_run(const Request& request, const std::string& id) const {
  service::RunManager& runs = backend_.requests.runs();
  auto run = runs.find(id);
  if (!run) {
    // A run only the history holds has finished long ago: it keeps its state.
    auto stored = backend_.requests.stored_run(id);
    if (!stored) co_return status_reply(request.message, service::unknown_run(id));
    if (backend_.may_cancel)
      if (auto allowed = backend_.may_cancel(request.authorization(), stored->submitted_by(), id);
          !allowed.ok())
        co_return status_reply(request.message, allowed);
    co_return json_reply(request.message, 200,
                         {{"run_id", id}, {"state", client::state_name(stored->state())}});
  }
  if (backend_.may_cancel)
    if (auto allowed = backend_.may_cancel(request.authorization(), run->submitted_by(), id);
        !allowed.ok())
      co_return status_reply(request.message, allowed);
  if (!runs.cancel(id)) co_return status_reply(request.message, service::unknown_run(id));
  const v1::RunState state = co_await final_state(run);
  co_return json_reply(request.message, 200,
                       {{"run_id", id}, {"state", client::state_name(state)}});
}

asio::awaitable<Reply> Api::submit_run(const Request& request, const std::string& principal) const {
  v1::SubmitRunRequest submit;
  submit.mutable_definition()->set_graph_json(request.message.body());
  std::string bad;
  if (!read_labels(request, *submit.mutable_labels(), bad))
    co_return error_reply(request.message, 400, "a label is K=V, not " + quote(bad));
  if (request.param("stats_interval_ms")) {
    auto interval = number_param(request, "stats_interval_ms", 0);
    if (!interval || *interval > 3'600'000)
      co_return error_reply(request.message, 400, "stats_interval_ms must be an integer (ms)");
    submit.set_stats_interval_ms(static_cast<std::uint32_t>(*interval));
  }
  const Submitted submitted = co_await submitted_run(backend_.requests, submit, principal);
  if (!submitted.status.ok()) co_return status_reply(request.message, submitted.status);
  co_return json_reply(
      request.message, 201,
      {{"run_id", submitted.run_id}, {"state", client::state_name(submitted.state)}});
}

Reply Api::functions(const Request& request) const {
  OrderedJson functions = OrderedJson::array();
  // The daemon's functions now (worker functions come and go), as ListFunctions lists them.
  const std::shared_ptr<const Registry> hosted = backend_.requests.functions();
  for (const FunctionDef* def : hosted->list())
    functions.push_back(client::function_to_json(service::to_proto(*def)));
  return json_reply(request.message, 200, {{"functions", std::move(functions)}});
}

}  // namespace agdf::http
