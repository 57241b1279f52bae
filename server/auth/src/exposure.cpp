#include "agdf/auth/exposure.hpp"

#include <arpa/inet.h>

#include <cstring>
#include <string>

namespace agdf::auth {

bool loopback_only(std::string_view listen) noexcept {
  if (listen.starts_with("unix:") || listen.starts_with("unix-abstract:")) return true;
  std::string_view host = listen;
  if (auto colon = listen.rfind(':'); colon != std::string_view::npos) {
    const bool bracketed = listen.starts_with('[');
    // "::1" alone has colons but no port; a port follows "]" or the only colon.
    if (bracketed || listen.find(':') == colon) host = listen.substr(0, colon);
  }
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']')
    host = host.substr(1, host.size() - 2);
  if (host == "localhost") return true;
  const std::string text(host);
  in_addr v4{};
  if (inet_pton(AF_INET, text.c_str(), &v4) == 1) return (ntohl(v4.s_addr) >> 24) == 127;
  in6_addr v6{};
  if (inet_pton(AF_INET6, text.c_str(), &v6) == 1) {
    static const in6_addr loopback = IN6ADDR_LOOPBACK_INIT;
    if (std::memcmp(&v6, &loopback, sizeof v6) == 0) return true;
    return IN6_IS_ADDR_V4MAPPED(&v6) && v6.s6_addr[12] == 127;
  }
  return false;
}

}  // namespace agdf::auth
