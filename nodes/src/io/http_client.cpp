#include "http_client.hpp"

#include <algorithm>
#include <ctime>
#include <optional>
#include <variant>

#include <boost/asio/deferred.hpp>
#include <boost/asio/experimental/parallel_group.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>

#include "agdf/nodes/egress_policy.hpp"
#include "agdf/nodes/json_text.hpp"
#include "url.hpp"

namespace agdf::io {
namespace beast = boost::beast;
namespace http = beast::http;
namespace ssl = asio::ssl;
using asio::ip::tcp;

namespace {

constexpr int kMaxRedirects = 5;
constexpr std::size_t kSnippetChars = 200;

/// What one attempt got back from the server.
struct Reply {
  unsigned status = 0;
  std::string reason;
  std::string body;
  std::string content_type;
  std::string location;
  std::optional<milliseconds> retry_after;
};

/// Why an attempt got no reply.
struct Failure {
  enum class Kind { connection, timeout, tls, too_large } kind;
  std::string message;
};

using Outcome = std::variant<Reply, Failure>;

/// Every address of the host is refused by the egress policy (what() says why).
struct EgressRefused : std::runtime_error {
  using std::runtime_error::runtime_error;
};

std::string snippet(const std::string& body) {
  std::string text = body.substr(0, kSnippetChars);
  std::replace(text.begin(), text.end(), '\n', ' ');
  return body.size() > kSnippetChars ? text + "..." : text;
}

/// Retry-After as delay-seconds or an HTTP-date.
std::optional<milliseconds> parse_retry_after(std::string_view value) {
  if (value.empty()) return std::nullopt;
  if (std::all_of(value.begin(), value.end(), [](char c) { return c >= '0' && c <= '9'; }))
    return milliseconds(std::stoll(std::string(value.substr(0, 9))) * 1000);
  std::tm tm{};
  const std::string text(value);
  if (strptime(text.c_str(), "%a, %d %b %Y %H:%M:%S GMT", &tm) == nullptr) return std::nullopt;
  // In seconds: a date in year 9999 would overflow the clock's nanoseconds.
  const std::int64_t seconds = static_cast<std::int64_t>(timegm(&tm)) - std::time(nullptr);
  return clamp_duration(
      milliseconds(std::clamp<std::int64_t>(seconds, 0, kMaxMilliseconds / 1000) * 1000));
}

ssl::context make_system_context(bool verify) {
  ssl::context context(ssl::context::tls_client);
  context.set_default_verify_paths();
  context.set_verify_mode(verify ? ssl::verify_peer : ssl::verify_none);
  return context;
}

/// Shared by every call: loading the system's CA store once is what makes TLS cheap.
ssl::context& system_context(bool verify) {
  static ssl::context verifying = make_system_context(true);
  static ssl::context trusting = make_system_context(false);
  return verify ? verifying : trusting;
}

template <typename Stream>
asio::awaitable<Reply> exchange(Stream& stream, const Url& url, const HttpSettings& settings) {
  http::request<http::empty_body> request{http::verb::get, url.target, 11};
  request.set(http::field::host, url.host_header());
  request.set(http::field::user_agent, "agdf/0.1");
  request.set(http::field::accept, "application/json, */*;q=0.5");
  request.set(http::field::connection, "close");
  for (const auto& [name, value] : settings.headers) request.set(name, value);
  co_await http::async_write(stream, request, asio::use_awaitable);

  beast::flat_buffer buffer;
  http::response_parser<http::string_body> parser;
  parser.body_limit(settings.max_response_bytes);
  co_await http::async_read(stream, buffer, parser, asio::use_awaitable);
  auto response = parser.release();
  Reply reply;
  reply.status = response.result_int();
  reply.reason = std::string(response.reason());
  reply.content_type = std::string(response[http::field::content_type]);
  reply.location = std::string(response[http::field::location]);
  reply.retry_after = parse_retry_after(response[http::field::retry_after]);
  reply.body = std::move(response.body());
  co_return reply;
}

/// The resolved addresses the policy allows, in the resolver's order; throws
/// EgressRefused when it allows none. Connecting only to these (never resolving again)
/// is what keeps a name from pointing elsewhere between the check and the connection.
std::vector<tcp::endpoint> permitted(const Url& url, const tcp::resolver::results_type& results,
                                     const EgressPolicy* policy) {
  std::vector<tcp::endpoint> endpoints;
  std::string refused;
  for (const auto& entry : results) {
    const auto address = entry.endpoint().address();
    auto why = policy ? policy->refusal(url.host, address) : std::nullopt;
    if (!why) {
      endpoints.push_back(entry.endpoint());
    } else if (refused.empty()) {
      const std::string text =
          address.is_v6() && address.to_v6().is_v4_mapped()
              ? asio::ip::make_address_v4(asio::ip::v4_mapped, address.to_v6()).to_string()
              : address.to_string();
      refused = text == url.host ? text + " is " + *why
                                 : url.host + " resolves to " + text + ", which is " + *why;
    }
  }
  if (endpoints.empty()) throw EgressRefused(refused + "; the daemon's --http-allow can allow it");
  return endpoints;
}

asio::awaitable<Reply> attempt(Url url, const HttpSettings& settings) {
  auto executor = co_await asio::this_coro::executor;
  tcp::resolver resolver(executor);
  const auto endpoints =
      permitted(url, co_await resolver.async_resolve(url.host, url.port, asio::use_awaitable),
                settings.egress.get());
  if (url.scheme == "http") {
    beast::tcp_stream stream(executor);
    co_await stream.async_connect(endpoints, asio::use_awaitable);
    co_return co_await exchange(stream, url, settings);
  }
  ssl::context& context = settings.tls ? *settings.tls : system_context(settings.verify_tls);
  beast::ssl_stream<beast::tcp_stream> stream(executor, context);
  boost::system::error_code not_an_address;
  asio::ip::make_address(url.host, not_an_address);
  if (not_an_address && !SSL_set_tlsext_host_name(stream.native_handle(), url.host.c_str()))
    throw NodeError("SSLError", "cannot set the TLS server name " + url.host);
  if (settings.verify_tls || settings.tls)
    stream.set_verify_callback(ssl::host_name_verification(url.host));
  co_await beast::get_lowest_layer(stream).async_connect(endpoints, asio::use_awaitable);
  co_await stream.async_handshake(ssl::stream_base::client, asio::use_awaitable);
  co_return co_await exchange(stream, url, settings);
}

/// One attempt under the deadline; a transport error becomes a Failure, except the
/// cancellation of the run, which propagates.
asio::awaitable<Outcome> attempt_with_deadline(const Url& url, const HttpSettings& settings) {
  auto executor = co_await asio::this_coro::executor;
  asio::steady_timer deadline(executor, clamp_duration(settings.timeout));
  auto [order, error, reply, timer_error] =
      co_await asio::experimental::make_parallel_group(
          asio::co_spawn(executor, attempt(url, settings), asio::deferred),
          deadline.async_wait(asio::deferred))
          .async_wait(asio::experimental::wait_for_one(), asio::use_awaitable);

  auto cancelled = (co_await asio::this_coro::cancellation_state).cancelled();
  if (cancelled != asio::cancellation_type::none)
    throw boost::system::system_error(asio::error::operation_aborted);
  if (order[0] == 1)
    co_return Failure{Failure::Kind::timeout, "no complete response within " +
                                                  std::to_string(settings.timeout.count()) + " ms"};
  if (!error) co_return std::move(reply);
  try {
    std::rethrow_exception(error);
  } catch (const boost::system::system_error& e) {
    const auto code = e.code();
    if (code == http::error::body_limit)
      co_return Failure{
          Failure::Kind::too_large,
          "the response is larger than " + std::to_string(settings.max_response_bytes) + " bytes"};
    if (code.category() == asio::error::get_ssl_category() ||
        code.category() == ssl::error::get_stream_category())
      co_return Failure{Failure::Kind::tls, "TLS: " + code.message()};
    co_return Failure{Failure::Kind::connection, code.message()};
  }
}

milliseconds retry_wait(const HttpSettings& settings, int retry, const Outcome& outcome) {
  milliseconds wait = settings.backoff * (std::int64_t{1} << std::min(retry - 1, 20));
  if (const auto* reply = std::get_if<Reply>(&outcome); reply && reply->retry_after)
    wait = *reply->retry_after;
  return std::min(wait, settings.max_wait);
}

bool retryable(const Outcome& outcome) {
  if (const auto* reply = std::get_if<Reply>(&outcome))
    return reply->status >= 500 || reply->status == 429;
  const auto kind = std::get<Failure>(outcome).kind;
  return kind == Failure::Kind::connection || kind == Failure::Kind::timeout;
}

std::string describe(const Outcome& outcome) {
  if (const auto* reply = std::get_if<Reply>(&outcome))
    return std::to_string(reply->status) + " " + reply->reason;
  return std::get<Failure>(outcome).message;
}

[[noreturn]] void fail(const std::string& url, const Outcome& outcome, int attempts) {
  const std::string prefix = "GET " + url + ": ";
  const std::string tries =
      attempts > 1 ? " (after " + std::to_string(attempts) + " attempts)" : "";
  if (const auto* reply = std::get_if<Reply>(&outcome)) {
    std::string message = prefix + "HTTP " + describe(outcome) + tries;
    if (!reply->body.empty()) message += ": " + snippet(reply->body);
    throw NodeError("HTTPError", message);
  }
  const auto& failure = std::get<Failure>(outcome);
  switch (failure.kind) {
    case Failure::Kind::timeout:
      throw NodeError("TimeoutError", prefix + failure.message + tries);
    case Failure::Kind::tls:
      throw NodeError("SSLError", prefix + failure.message);
    case Failure::Kind::too_large:
      throw NodeError("ValueError", prefix + failure.message);
    default:
      throw NodeError("ConnectionError", prefix + failure.message + tries);
  }
}

}  // namespace

asio::awaitable<HttpResponse> http_get(NodeContext& ctx, std::string url_text,
                                       const HttpSettings& settings) {
  int redirects = 0;
  for (int attempts = 1;;) {
    std::string problem;
    const auto url = parse_url(url_text, &problem);
    if (!url) throw NodeError("ValueError", "the URL " + url_text + " " + problem);

    std::optional<Outcome> attempted;
    std::string refused;
    try {
      attempted = co_await attempt_with_deadline(*url, settings);
    } catch (const EgressRefused& e) {
      refused = e.what();
    }
    if (!attempted)
      throw NodeError("PermissionError",
                      "GET " + url_text + ": refused by the egress policy: " + refused);
    Outcome outcome = std::move(*attempted);
    if (auto* reply = std::get_if<Reply>(&outcome)) {
      if (reply->status >= 200 && reply->status < 300)
        co_return HttpResponse{reply->status, std::move(reply->body),
                               std::move(reply->content_type)};
      if (reply->status >= 300 && reply->status < 400 && !reply->location.empty()) {
        auto next = resolve_location(*url, reply->location);
        if (next && ++redirects <= kMaxRedirects) {
          url_text = std::move(*next);
          continue;
        }
      }
    }
    if (!retryable(outcome) || attempts > settings.retries) fail(url_text, outcome, attempts);

    const milliseconds wait = retry_wait(settings, attempts, outcome);
    ctx.log("GET " + url_text + ": " + describe(outcome) + "; retry " + std::to_string(attempts) +
            " of " + std::to_string(settings.retries) + " in " + std::to_string(wait.count()) +
            " ms");
    ++attempts;
    co_await ctx.sleep_for(wait);
  }
}

Json parse_json_body(const HttpResponse& response, const std::string& url) {
  // A server's duplicate keys are its own business (the last one wins); its nesting is
  // bounded like any JSON the daemon reads.
  JsonRead body = read_json_text(response.body, {.reject_duplicate_keys = false});
  if (body.error)
    throw NodeError(
        "ValueError",
        "GET " + url + ": the body is not JSON (" +
            (response.content_type.empty() ? "no content type" : response.content_type) + ", " +
            body.error->to_string() + "): " + snippet(response.body));
  return std::move(body.value);
}

std::shared_ptr<ssl::context> tls_context_trusting(const std::string& pem) {
  auto context = std::make_shared<ssl::context>(ssl::context::tls_client);
  boost::system::error_code ec;
  context->add_certificate_authority(asio::buffer(pem), ec);
  if (ec) throw NodeError("SSLError", "cannot use the CA certificates: " + ec.message());
  context->set_verify_mode(ssl::verify_peer);
  return context;
}

}  // namespace agdf::io
