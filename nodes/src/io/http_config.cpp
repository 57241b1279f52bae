#include "http_config.hpp"

#include <cctype>

#include <boost/asio/ssl/context.hpp>

#include "agdf/nodes/quote.hpp"

#include "data_path.hpp"
#include "posix_file.hpp"
#include "url.hpp"

namespace agdf::io {
namespace {

/// One TLS context per ca_file per run, shared by the run's calls.
struct TlsSlot {
  std::shared_ptr<asio::ssl::context> context;
};

/// Why a header cannot be sent as given: a name must be an HTTP token, and a value must
/// not hold a line break or another control character (it would start a header of its own).
std::optional<std::string> header_problem(const std::string& name, const std::string& value) {
  static constexpr std::string_view kTokenPunctuation = "!#$%&'*+-.^_`|~";
  if (name.empty()) return "has an empty name";
  for (char c : name)
    if (std::isalnum(static_cast<unsigned char>(c)) == 0 &&
        kTokenPunctuation.find(c) == std::string_view::npos)
      return "is not a valid header name";
  for (char c : value)
    if (const auto u = static_cast<unsigned char>(c); (u < 0x20 && c != '\t') || u == 0x7F)
      return "has a control character in its value";
  return std::nullopt;
}

std::string read_whole_file(const std::filesystem::path& data_dir, const std::string& path) {
  PosixFile file(resolve_data_path(data_dir, path), PosixFile::Mode::read, path);
  std::string text;
  char buffer[16 * 1024];
  while (std::size_t n = file.read_some(buffer, sizeof buffer)) text.append(buffer, n);
  return text;
}

}  // namespace

std::vector<ConfigKey> http_config_keys(const char* example_url, Json example_params) {
  return {
      {"url", "the http:// or https:// URL (a call may pass its own as `url`)", example_url, false},
      {"params", "query parameters added to every request", std::move(example_params), false},
      {"headers", "extra request headers", Json{{"Authorization", "Bearer ..."}}, false},
      {"timeout_ms", "the limit on one attempt (connect, send, whole response)", 30000, false},
      {"retries", "further attempts after a connection error, timeout, 5xx or 429", 3, false},
      {"backoff_ms", "the wait before retry k is backoff_ms * 2^(k-1), or the server's Retry-After",
       500, false},
      {"max_wait_ms", "the longest wait between attempts, Retry-After included", 60000, false},
      {"max_response_bytes", "a larger response is an error", 64 << 20, false},
      {"verify_tls", "verify the server's certificate and name (keep this on)", true, false},
      {"ca_file", "PEM certificates to trust instead of the system's, in the data directory",
       "certs/ca.pem", false},
  };
}

HttpConfig read_http_config(ConfigReader& reader, const ValidationContext& context) {
  HttpConfig config;
  HttpSettings& s = config.settings;
  config.url = reader.get<std::string>("url", "", "a string");
  if (std::string problem; !config.url.empty() && !parse_url(config.url, &problem))
    reader.problem("config.url " + problem);
  config.params = reader.get<Json::object_t>("params", {}, "an object");
  for (const auto& [name, value] : reader.get<Json::object_t>("headers", {}, "an object")) {
    if (!value.is_string())
      reader.problem("config.headers " + quote(name) + " must be a string");
    else if (auto problem = header_problem(name, value.get_ref<const std::string&>()))
      reader.problem("config.headers " + quote(name) + " " + *problem);
    else
      s.headers.emplace_back(name, value.get<std::string>());
  }
  s.timeout = reader.get_milliseconds("timeout_ms", s.timeout, 1);
  s.backoff = reader.get_milliseconds("backoff_ms", s.backoff);
  s.max_wait = reader.get_milliseconds("max_wait_ms", s.max_wait);
  s.retries = reader.get<int>("retries", s.retries, "an integer");
  if (s.retries < 0) reader.problem("config.retries must be >= 0");
  if (s.retries > kMaxRetries)
    reader.problem("config.retries must be at most " + std::to_string(kMaxRetries));
  const auto limit = reader.get<std::int64_t>(
      "max_response_bytes", static_cast<std::int64_t>(s.max_response_bytes), "an integer");
  if (limit < 1) reader.problem("config.max_response_bytes must be >= 1");
  s.max_response_bytes = static_cast<std::size_t>(std::max<std::int64_t>(limit, 1));
  s.verify_tls = reader.get<bool>("verify_tls", true, "a boolean");
  s.egress = context.egress;
  config.ca_file = reader.get<std::string>("ca_file", "", "a string");
  if (!config.ca_file.empty())
    if (auto problem = data_path_problem(context.data_dir, config.ca_file))
      reader.problem("config.ca_file " + *problem);
  if (!config.ca_file.empty() && !s.verify_tls)
    reader.problem("config.ca_file has no use with verify_tls false");
  return config;
}

asio::awaitable<HttpSettings> settings_for_call(NodeContext& ctx, const HttpConfig& config) {
  HttpSettings settings = config.settings;
  if (config.ca_file.empty()) co_return settings;
  auto slot = ctx.run_resource<TlsSlot>("tls:" + data_path_key(config.ca_file));
  if (!slot->context) {
    auto load = [data_dir = ctx.data_dir(), path = config.ca_file] {
      return tls_context_trusting(read_whole_file(data_dir, path));
    };
    auto context = co_await ctx.offload(std::move(load));
    slot->context = std::move(context);
  }
  settings.tls = slot->context;
  co_return settings;
}

std::string url_for_call(const HttpConfig& config, const Json& url, const Json& params) {
  if (!url.is_null() && !url.is_string())
    throw NodeError("TypeError", "url must be a string, not " + url.dump());
  if (!params.is_null() && !params.is_object())
    throw NodeError("TypeError", "params must be an object, not " + params.dump());
  const std::string base = url.is_string() ? url.get<std::string>() : config.url;
  if (base.empty()) throw NodeError("ValueError", "no URL: set config.url or pass url");
  Json merged = config.params;
  if (params.is_object())
    for (const auto& [key, value] : params.items()) merged[key] = value;
  return with_query(base, merged);
}

std::vector<Param> http_params() {
  return {{"url", Json()}, {"params", Json()}};
}

}  // namespace agdf::io
