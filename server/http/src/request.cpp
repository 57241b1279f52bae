#include "request.hpp"

#include "agdf/metrics/grpc_metrics.hpp"

namespace agdf::http {
namespace {

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

/// Percent-decoding; `+` is a space in a query. nullopt for a broken escape.
std::optional<std::string> decode(std::string_view text, bool plus_is_space) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '%') {
      if (i + 2 >= text.size()) return std::nullopt;
      const int hi = hex_value(text[i + 1]);
      const int lo = hex_value(text[i + 2]);
      if (hi < 0 || lo < 0) return std::nullopt;
      out += static_cast<char>(hi * 16 + lo);
      i += 2;
    } else if (c == '+' && plus_is_space) {
      out += ' ';
    } else {
      out += c;
    }
  }
  return out;
}

void prepare(const Message& request, Response& response) {
  response.version(request.version());
  response.keep_alive(request.keep_alive());
  response.set(bhttp::field::server, "agdf-server");
  response.set(bhttp::field::cache_control, "no-store");
  response.set("X-Content-Type-Options", "nosniff");
  response.prepare_payload();
}

}  // namespace

std::optional<std::string> Request::param(const std::string& key) const {
  auto it = query.find(key);
  if (it == query.end()) return std::nullopt;
  return it->second;
}

std::vector<std::string> Request::params(const std::string& key) const {
  std::vector<std::string> values;
  for (auto [it, end] = query.equal_range(key); it != end; ++it) values.push_back(it->second);
  return values;
}

std::optional<std::string_view> Request::authorization() const {
  auto it = message.find(bhttp::field::authorization);
  if (it == message.end()) return std::nullopt;
  return std::string_view(it->value().data(), it->value().size());
}

std::optional<Request> parse_request(Message&& message) {
  Request request;
  const std::string_view target(message.target().data(), message.target().size());
  if (target.empty() || target.front() != '/') return std::nullopt;
  const auto question = target.find('?');
  auto path = decode(target.substr(0, question), false);
  if (!path) return std::nullopt;
  request.path = std::move(*path);
  if (question != std::string_view::npos) {
    std::string_view rest = target.substr(question + 1);
    while (!rest.empty()) {
      const auto amp = rest.find('&');
      const std::string_view pair = rest.substr(0, amp);
      rest = amp == std::string_view::npos ? std::string_view() : rest.substr(amp + 1);
      if (pair.empty()) continue;
      const auto eq = pair.find('=');
      auto key = decode(pair.substr(0, eq), true);
      auto value =
          decode(eq == std::string_view::npos ? std::string_view() : pair.substr(eq + 1), true);
      if (!key || !value) return std::nullopt;
      request.query.emplace(std::move(*key), std::move(*value));
    }
  }
  request.message = std::move(message);
  return request;
}

Reply json_reply(const Message& request, unsigned status, const nlohmann::ordered_json& body) {
  return text_reply(request, status, "application/json",
                    body.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace));
}

Reply text_reply(const Message& request, unsigned status, std::string_view content_type,
                 std::string body) {
  Reply reply;
  reply.response.result(status);
  reply.response.set(bhttp::field::content_type, content_type);
  reply.response.body() = std::move(body);
  prepare(request, reply.response);
  return reply;
}

Reply error_reply(const Message& request, unsigned status, std::string_view message) {
  return json_reply(request, status, {{"error", message}});
}

Reply status_reply(const Message& request, const grpc::Status& status) {
  const unsigned http_status = http_status_for(status.error_code());
  return json_reply(request, http_status,
                    {{"error", status.error_message()},
                     {"code", metrics::status_code_name(status.error_code())}});
}

unsigned http_status_for(grpc::StatusCode code) noexcept {
  switch (code) {
    case grpc::StatusCode::OK:
      return 200;
    case grpc::StatusCode::INVALID_ARGUMENT:
    case grpc::StatusCode::OUT_OF_RANGE:
    case grpc::StatusCode::FAILED_PRECONDITION:
      return 400;
    case grpc::StatusCode::UNAUTHENTICATED:
      return 401;
    case grpc::StatusCode::PERMISSION_DENIED:
      return 403;
    case grpc::StatusCode::NOT_FOUND:
      return 404;
    case grpc::StatusCode::ALREADY_EXISTS:
    case grpc::StatusCode::ABORTED:
      return 409;
    case grpc::StatusCode::RESOURCE_EXHAUSTED:
      return 429;
    case grpc::StatusCode::UNIMPLEMENTED:
      return 501;
    case grpc::StatusCode::UNAVAILABLE:
      return 503;
    case grpc::StatusCode::DEADLINE_EXCEEDED:
      return 504;
    default:
      return 500;
  }
}

}  // namespace agdf::http
