#pragma once
/// Where the network functions (http.get, http.paginate) may connect. The daemon refuses
/// internal destinations by default - loopback, private and link-local ranges (cloud
/// metadata lives at 169.254.169.254), and the other special-purpose ranges - unless the
/// operator allows them (`--http-allow`). The check applies to every address a host name
/// resolves to, before connecting, and again on every redirect, so a name pointing inside
/// does not slip through.

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <boost/asio/ip/address.hpp>

namespace agdf {

class EgressPolicy {
 public:
  /// Refuses internal destinations except what `allow` lists: CIDR ranges (10.0.0.0/8,
  /// fd00::/8), single addresses (127.0.0.1, ::1), host names (api.internal, matched
  /// before resolution, case-insensitively), `*.example.com` (its subdomains), or `*`
  /// (everything). nullopt, and every bad entry in `problems`, when one cannot be read.
  static std::optional<EgressPolicy> parse(const std::vector<std::string>& allow,
                                           std::vector<std::string>& problems);

  /// A policy that allows every destination (the one-shot runner on a user's machine).
  static EgressPolicy allow_all();

  /// Why connecting to `address` for the URL host `host` is refused, as what the address
  /// is ("a loopback address (127.0.0.0/8)"); nullopt when allowed.
  std::optional<std::string> refusal(std::string_view host,
                                     const boost::asio::ip::address& address) const;

  bool allows_everything() const noexcept { return allow_all_; }
  /// The allow entries as given, for the daemon's start-up log.
  const std::vector<std::string>& allowed() const noexcept { return entries_; }

  /// An address range; IPv4 is held as IPv4-mapped IPv6 (::ffff:a.b.c.d), so one
  /// comparison covers both spellings of an IPv4 address.
  struct Range {
    std::array<std::uint8_t, 16> bytes{};
    unsigned prefix = 128;
    bool contains(const std::array<std::uint8_t, 16>& address) const noexcept;
  };

 private:
  bool allow_all_ = false;
  std::vector<std::string> entries_;
  std::vector<Range> ranges_;
  std::vector<std::string> hosts_;     ///< lower case, exact
  std::vector<std::string> suffixes_;  ///< lower case, ".example.com" for *.example.com
};

}  // namespace agdf
