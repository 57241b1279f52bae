#pragma once
// A request as the routes see it (path and query decoded), the replies they give, and
// the writer an event stream writes through.

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <grpcpp/support/status.h>
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/beast/http.hpp>
#include <nlohmann/json.hpp>

namespace agdf::http {

namespace beast = boost::beast;
namespace bhttp = boost::beast::http;

using Message = bhttp::request<bhttp::string_body>;
using Response = bhttp::response<bhttp::string_body>;

struct Request {
  Message message;
  std::string path;                               ///< percent-decoded, without the query
  std::multimap<std::string, std::string> query;  ///< decoded; a key may repeat

  std::optional<std::string> param(const std::string& key) const;
  std::vector<std::string> params(const std::string& key) const;
  std::optional<std::string_view> authorization() const;
};

/// Splits and decodes the target; nullopt when it is not a valid origin-form target.
std::optional<Request> parse_request(Message&& message);

/// What a route answers: a response to write, or `streamed` when the route wrote the
/// response itself (an event stream) and the connection must close.
struct Reply {
  Response response;
  bool streamed = false;
  std::string route;  ///< the route's name for metrics ("runs", "run", "metrics", ...)
};

Reply json_reply(const Message& request, unsigned status, const nlohmann::ordered_json& body);
Reply text_reply(const Message& request, unsigned status, std::string_view content_type,
                 std::string body);
/// `{"error": message}` with `status`.
Reply error_reply(const Message& request, unsigned status, std::string_view message);
/// A gRPC status as HTTP: the status code and `{"error": message, "code": "NOT_FOUND"}`.
Reply status_reply(const Message& request, const grpc::Status& status);

/// The HTTP status for a gRPC status code (NOT_FOUND 404, INVALID_ARGUMENT 400, ...).
unsigned http_status_for(grpc::StatusCode code) noexcept;

/// Writes bytes of a response a route streams itself; false when the client is gone
/// or too slow (the write deadline passed).
class Writer {
 public:
  virtual ~Writer() = default;
  virtual boost::asio::awaitable<bool> write(std::string data) = 0;
  virtual boost::asio::any_io_executor executor() = 0;
};

}  // namespace agdf::http
