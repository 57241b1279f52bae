#include "router.hpp"

#include <vector>

#include "agdf/metrics/registry.hpp"
#include "static_files.hpp"

namespace asio = boost::asio;

namespace agdf::http {
namespace {

std::vector<std::string_view> segments(std::string_view path) {
  std::vector<std::string_view> out;
  while (!path.empty()) {
    if (path.front() == '/') {
      path.remove_prefix(1);
      continue;
    }
    const auto slash = path.find('/');
    out.push_back(path.substr(0, slash));
    path = slash == std::string_view::npos ? std::string_view() : path.substr(slash);
  }
  return out;
}

Reply named(Reply reply, std::string route) {
  reply.route = std::move(route);
  return reply;
}

Reply method_not_allowed(const Request& request, std::string_view allow) {
  Reply reply = error_reply(request.message, 405,
                            "method " + std::string(request.message.method_string()) +
                                " is not allowed here (allowed: " + std::string(allow) + ")");
  reply.response.set(bhttp::field::allow, allow);
  return reply;
}

}  // namespace

std::optional<Reply> Router::refuse(const Request& request, std::string_view rpc) const {
  AuthResult result = backend_.authorize(request.authorization(), rpc);
  if (result.allowed) return std::nullopt;
  Reply reply = error_reply(request.message, result.status == 403 ? 403 : 401, result.message);
  if (reply.response.result_int() == 401)
    reply.response.set(bhttp::field::www_authenticate, "Bearer realm=\"agdf\"");
  return reply;
}

Reply Router::metrics(const Request& request) const {
  if (!backend_.metrics) return error_reply(request.message, 404, "metrics are off");
  if (auto refused = refuse(request, "ListRuns")) return *refused;
  return text_reply(request.message, 200, metrics::kExpositionContentType,
                    backend_.metrics->registry.render());
}

asio::awaitable<Reply> Router::handle(const Request& request, Writer& writer) const {
  const std::string& path = request.path;
  const auto method = request.message.method();
  if (path.starts_with("/api/")) co_return co_await api(request, writer);
  if (path == "/healthz" || path == "/readyz" || path == "/metrics") {
    if (method != bhttp::verb::get && method != bhttp::verb::head)
      co_return named(method_not_allowed(request, "GET"), path.substr(1));
    if (path == "/metrics") co_return named(metrics(request), "metrics");
    const bool ready = path == "/healthz" || ready_.load();
    co_return named(text_reply(request.message, ready ? 200 : 503, "text/plain; charset=utf-8",
                               ready ? "ok\n" : "shutting down\n"),
                    path.substr(1));
  }
  if (const StaticFile* file = find_dashboard_file(path)) {
    if (method != bhttp::verb::get && method != bhttp::verb::head)
      co_return named(method_not_allowed(request, "GET"), "dashboard");
    Reply reply = text_reply(request.message, 200, file->content_type, std::string(file->bytes));
    reply.response.set(bhttp::field::cache_control, "no-cache");
    reply.response.set("Content-Security-Policy",
                       "default-src 'self'; img-src 'self' data:; style-src 'self'; "
                       "script-src 'self'; connect-src 'self'");
    co_return named(std::move(reply), "dashboard");
  }
  co_return named(error_reply(request.message, 404, "no such page: " + path), "not_found");
}

asio::awaitable<Reply> Router::api(const Request& request, Writer& writer) const {
  const auto parts = segments(request.path);  // "api", ...
  const auto method = request.message.method();
  const bool get = method == bhttp::verb::get || method == bhttp::verb::head;
  const bool post = method == bhttp::verb::post;

  if (parts.size() == 2 && parts[1] == "functions") {
    if (!get) co_return named(method_not_allowed(request, "GET"), "functions");
    if (auto refused = refuse(request, "ListFunctions")) co_return named(*refused, "functions");
    co_return named(api_.functions(request), "functions");
  }
  if (parts.size() >= 2 && parts[1] == "runs") {
    if (parts.size() == 2) {
      if (get) {
        if (auto refused = refuse(request, "ListRuns")) co_return named(*refused, "runs");
        co_return named(api_.list_runs(request), "runs");
      }
      if (post) {
        AuthResult caller = backend_.authorize(request.authorization(), "SubmitRun");
        if (!caller.allowed) co_return named(*refuse(request, "SubmitRun"), "submit");
        co_return named(co_await api_.submit_run(request, caller.principal), "submit");
      }
      co_return named(method_not_allowed(request, "GET, POST"), "runs");
    }
    const std::string id(parts[2]);
    if (parts.size() == 3) {
      if (!get) co_return named(method_not_allowed(request, "GET"), "run");
      if (auto refused = refuse(request, "GetRun")) co_return named(*refused, "run");
      co_return named(api_.get_run(request, id), "run");
    }
    if (parts.size() == 4 && parts[3] == "cancel") {
      if (!post) co_return named(method_not_allowed(request, "POST"), "cancel");
      if (auto refused = refuse(request, "CancelRun")) co_return named(*refused, "cancel");
      co_return named(co_await api_.cancel_run(request, id), "cancel");
    }
    if (parts.size() == 4 &&
        (parts[3] == "graph" || parts[3] == "events" || parts[3] == "stream")) {
      const std::string route(parts[3]);
      if (!get) co_return named(method_not_allowed(request, "GET"), route);
      if (auto refused = refuse(request, route == "graph" ? "GetRun" : "WatchRun"))
        co_return named(*refused, route);
      if (route == "graph") co_return named(api_.run_graph(request, id), route);
      if (route == "events") co_return named(api_.run_events(request, id), route);
      co_return named(co_await api_.stream_events(request, id, writer), route);
    }
  }
  co_return named(error_reply(request.message, 404, "no such API: " + request.path), "not_found");
}

}  // namespace agdf::http
