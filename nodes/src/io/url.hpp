#pragma once
// Just enough URL handling for the HTTP functions: split an http(s) URL into what a
// connection needs, add query parameters, follow a redirect's Location.

#include <optional>
#include <string>
#include <string_view>

#include "agdf/nodes/item.hpp"

namespace agdf::io {

struct Url {
  std::string scheme;  ///< "http" or "https"
  std::string host;    ///< without brackets for an IPv6 literal
  std::string port;    ///< explicit, or the scheme's default
  std::string target;  ///< path and query, at least "/"
  bool default_port = true;

  /// The Host header's value.
  std::string host_header() const;
};

/// Splits an absolute http:// or https:// URL; nullopt (and why, in `problem`) otherwise.
std::optional<Url> parse_url(std::string_view text, std::string* problem = nullptr);

/// `url` with each member of `params` (an object) added to its query, percent-encoded.
/// Strings go as they are, null is left out, a list repeats the key, anything else is
/// written as JSON.
std::string with_query(const std::string& url, const Json& params);

/// Where a redirect's `location` leads from `base`: absolute, or a path on the same server.
std::optional<std::string> resolve_location(const Url& base, std::string_view location);

}  // namespace agdf::io
