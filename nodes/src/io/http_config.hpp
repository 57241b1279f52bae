#pragma once
// The config keys http.get and http.paginate share, and turning them into the settings of
// one call.

#include <string>
#include <vector>

#include "http_client.hpp"
#include "io.hpp"

namespace agdf::io {

/// The most retries a config may ask for.
inline constexpr int kMaxRetries = 100;

struct HttpConfig {
  std::string url;               ///< may be empty when each call passes its own
  Json params = Json::object();  ///< fixed query parameters
  HttpSettings settings;         ///< without the TLS context of ca_file
  std::string ca_file;           ///< in the data directory; empty: the system's CA store
};

/// url, params, headers, timeout_ms, retries, backoff_ms, max_wait_ms, max_response_bytes,
/// verify_tls, ca_file.
std::vector<ConfigKey> http_config_keys(const char* example_url, Json example_params);

HttpConfig read_http_config(ConfigReader& reader, const ValidationContext& context);

/// The settings of one call: the configured ones, with ca_file's TLS context (loaded once
/// per run, off the strand).
asio::awaitable<HttpSettings> settings_for_call(NodeContext& ctx, const HttpConfig& config);

/// The URL of one call: `url` if the call gave one, else the configured one, with the
/// configured and the call's query parameters. Throws NodeError when there is none.
std::string url_for_call(const HttpConfig& config, const Json& url, const Json& params);

/// The parameters both functions take: url and params, each defaulting to the config.
std::vector<Param> http_params();

}  // namespace agdf::io
