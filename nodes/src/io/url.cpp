#include "url.hpp"

#include <cctype>

#include "agdf/nodes/quote.hpp"

namespace agdf::io {
namespace {

std::string percent_encode(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : text) {
    if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

void add_param(std::string& query, const std::string& key, const Json& value) {
  if (value.is_null()) return;
  if (value.is_array() && !is_tuple(value)) {
    for (const Json& element : value) add_param(query, key, element);
    return;
  }
  if (!query.empty()) query += '&';
  query += percent_encode(key);
  query += '=';
  query += percent_encode(value.is_string() ? value.get_ref<const std::string&>() : value.dump());
}

}  // namespace

std::string Url::host_header() const {
  const std::string name = host.find(':') != std::string::npos ? "[" + host + "]" : host;
  return default_port ? name : name + ":" + port;
}

std::optional<Url> parse_url(std::string_view text, std::string* problem) {
  const auto fail = [&](std::string why) -> std::optional<Url> {
    if (problem) *problem = std::move(why);
    return std::nullopt;
  };
  Url url;
  // A space or control character would end up in the request line or a header as it is.
  for (std::size_t i = 0; i < text.size(); ++i)
    if (const auto c = static_cast<unsigned char>(text[i]); c <= 0x20 || c == 0x7F)
      return fail("has a space or control character at offset " + std::to_string(i));
  const auto scheme_end = text.find("://");
  if (scheme_end == std::string_view::npos) return fail("is not an absolute http(s) URL");
  for (char c : text.substr(0, scheme_end))
    url.scheme += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (url.scheme != "http" && url.scheme != "https")
    return fail("has scheme " + quote(url.scheme) + "; only http and https are supported");
  url.port = url.scheme == "https" ? "443" : "80";

  std::string_view rest = text.substr(scheme_end + 3);
  rest = rest.substr(0, rest.find('#'));
  const auto authority_end = rest.find_first_of("/?");
  std::string_view authority = rest.substr(0, authority_end);
  const std::string_view target =
      authority_end == std::string_view::npos ? std::string_view() : rest.substr(authority_end);
  if (authority.find('@') != std::string_view::npos) return fail("must not hold a user name");

  std::string_view port;
  if (authority.starts_with('[')) {
    const auto close = authority.find(']');
    if (close == std::string_view::npos) return fail("has an unclosed IPv6 address");
    url.host = authority.substr(1, close - 1);
    if (authority.size() > close + 1) {
      if (authority[close + 1] != ':') return fail("has a bad port");
      port = authority.substr(close + 2);
    }
  } else {
    const auto colon = authority.rfind(':');
    url.host = authority.substr(0, colon);
    if (colon != std::string_view::npos) port = authority.substr(colon + 1);
  }
  if (url.host.empty()) return fail("has no host");
  if (!port.empty()) {
    for (char c : port)
      if (!std::isdigit(static_cast<unsigned char>(c))) return fail("has a bad port");
    url.port = port;
    url.default_port = false;
  }
  url.target = target.empty()            ? "/"
               : target.starts_with('?') ? "/" + std::string(target)
                                         : std::string(target);
  return url;
}

std::string with_query(const std::string& url, const Json& params) {
  if (!params.is_object() || params.empty()) return url;
  const auto hash = url.find('#');
  std::string base = url.substr(0, hash);
  std::string query;
  for (const auto& [key, value] : params.items()) add_param(query, key, value);
  if (query.empty()) return url;
  const char joiner = base.find('?') == std::string::npos          ? '?'
                      : base.ends_with('?') || base.ends_with('&') ? '\0'
                                                                   : '&';
  if (joiner != '\0') base += joiner;
  return base + query;
}

std::optional<std::string> resolve_location(const Url& base, std::string_view location) {
  if (location.find("://") != std::string_view::npos) return std::string(location);
  if (location.starts_with("//")) return base.scheme + ":" + std::string(location);
  if (!location.starts_with('/')) return std::nullopt;
  return base.scheme + "://" + base.host_header() + std::string(location);
}

}  // namespace agdf::io
