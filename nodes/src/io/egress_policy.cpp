#include "agdf/nodes/egress_policy.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>

namespace agdf {
namespace {

using Bytes = std::array<std::uint8_t, 16>;
namespace ip = boost::asio::ip;

Bytes to_bytes(const ip::address& address) {
  if (address.is_v6()) return address.to_v6().to_bytes();
  return ip::make_address_v6(ip::v4_mapped, address.to_v4()).to_bytes();
}

/// An IPv4 range as IPv4-mapped IPv6.
EgressPolicy::Range v4_range(std::uint8_t a, std::uint8_t b, std::uint8_t c, std::uint8_t d,
                             unsigned prefix) {
  EgressPolicy::Range range;
  range.bytes[10] = range.bytes[11] = 0xff;
  range.bytes[12] = a;
  range.bytes[13] = b;
  range.bytes[14] = c;
  range.bytes[15] = d;
  range.prefix = 96 + prefix;
  return range;
}

EgressPolicy::Range v6_range(std::initializer_list<std::uint8_t> leading, unsigned prefix) {
  EgressPolicy::Range range;
  std::copy(leading.begin(), leading.end(), range.bytes.begin());
  range.prefix = prefix;
  return range;
}

struct Blocked {
  EgressPolicy::Range range;
  const char* text;  ///< the range as people write it
  const char* kind;
};

/// Refused by default. IANA's special-purpose registries, minus the ranges that are
/// public (documentation, TEST-NET) or reached through the public network anyway.
const std::vector<Blocked>& blocked() {
  static const std::vector<Blocked> ranges{
      {v4_range(0, 0, 0, 0, 8), "0.0.0.0/8", "a 'this network' address"},
      {v4_range(10, 0, 0, 0, 8), "10.0.0.0/8", "a private address"},
      {v4_range(100, 64, 0, 0, 10), "100.64.0.0/10", "a shared (carrier-grade NAT) address"},
      {v4_range(127, 0, 0, 0, 8), "127.0.0.0/8", "a loopback address"},
      {v4_range(169, 254, 0, 0, 16), "169.254.0.0/16", "a link-local address"},
      {v4_range(172, 16, 0, 0, 12), "172.16.0.0/12", "a private address"},
      {v4_range(192, 0, 0, 0, 24), "192.0.0.0/24", "an IETF protocol address"},
      {v4_range(192, 168, 0, 0, 16), "192.168.0.0/16", "a private address"},
      {v4_range(198, 18, 0, 0, 15), "198.18.0.0/15", "a benchmarking address"},
      {v4_range(224, 0, 0, 0, 4), "224.0.0.0/4", "a multicast address"},
      {v4_range(240, 0, 0, 0, 4), "240.0.0.0/4", "a reserved or broadcast address"},
      {v6_range({}, 128), "::/128", "the unspecified address"},
      {v6_range({0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1}, 128), "::1/128",
       "a loopback address"},
      {v6_range({0xfc}, 7), "fc00::/7", "a private (unique local) address"},
      {v6_range({0xfe, 0x80}, 10), "fe80::/10", "a link-local address"},
      {v6_range({0xfe, 0xc0}, 10), "fec0::/10", "a site-local address"},
      {v6_range({0xff}, 8), "ff00::/8", "a multicast address"},
  };
  return ranges;
}

/// The IPv4 address an IPv6 one carries inside (NAT64, IPv4-compatible, 6to4), if any:
/// it decides where the packets really go.
std::optional<Bytes> embedded_v4(const Bytes& b) {
  auto mapped = [](std::uint8_t a, std::uint8_t b1, std::uint8_t c, std::uint8_t d) {
    return v4_range(a, b1, c, d, 32).bytes;
  };
  static const auto nat64 = v6_range({0, 0x64, 0xff, 0x9b}, 96);
  static const auto compatible = v6_range({}, 96);
  static const auto six_to_four = v6_range({0x20, 0x02}, 16);
  if (nat64.contains(b) || (compatible.contains(b) && (b[12] | b[13]) != 0))
    return mapped(b[12], b[13], b[14], b[15]);
  if (six_to_four.contains(b)) return mapped(b[2], b[3], b[4], b[5]);
  return std::nullopt;
}

std::string lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

/// Host as it appears in a URL, without IPv6 brackets or a trailing dot, in lower case.
std::string normal_host(std::string_view host) {
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']')
    host = host.substr(1, host.size() - 2);
  if (!host.empty() && host.back() == '.') host.remove_suffix(1);
  return lower(host);
}

bool valid_host_name(std::string_view name) {
  if (name.empty() || name.size() > 253) return false;
  for (char c : name)
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '.') return false;
  return name.front() != '.' && name.back() != '.' && name.find("..") == std::string_view::npos;
}

/// "ADDRESS" or "ADDRESS/PREFIX" as a range; nullopt when it is not one.
std::optional<EgressPolicy::Range> parse_range(std::string_view text) {
  std::string_view address_text = text;
  std::optional<unsigned> prefix;
  if (auto slash = text.find('/'); slash != std::string_view::npos) {
    address_text = text.substr(0, slash);
    const std::string_view digits = text.substr(slash + 1);
    unsigned value = 0;
    auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
    if (ec != std::errc() || end != digits.data() + digits.size() || digits.empty())
      return std::nullopt;
    prefix = value;
  }
  if (address_text.size() >= 2 && address_text.front() == '[' && address_text.back() == ']')
    address_text = address_text.substr(1, address_text.size() - 2);
  boost::system::error_code ec;
  const auto address = ip::make_address(std::string(address_text), ec);
  if (ec) return std::nullopt;
  const unsigned max_prefix = address.is_v4() ? 32 : 128;
  if (prefix && *prefix > max_prefix) return std::nullopt;
  EgressPolicy::Range range;
  range.bytes = to_bytes(address);
  range.prefix = (address.is_v4() ? 96 : 0) + prefix.value_or(max_prefix);
  // Clear the host bits so "10.1.2.3/8" means 10.0.0.0/8.
  for (unsigned bit = range.prefix; bit < 128; ++bit)
    range.bytes[bit / 8] &= static_cast<std::uint8_t>(~(0x80u >> (bit % 8)));
  return range;
}

std::string describe(const Bytes& bytes) {  // IPv4-mapped as plain IPv4
  const ip::address_v6 v6(bytes);
  if (v6.is_v4_mapped()) return ip::make_address_v4(ip::v4_mapped, v6).to_string();
  return v6.to_string();
}

}  // namespace

bool EgressPolicy::Range::contains(const Bytes& address) const noexcept {
  unsigned bit = 0;
  for (; bit + 8 <= prefix; bit += 8)
    if (address[bit / 8] != bytes[bit / 8]) return false;
  if (bit == prefix) return true;
  const auto mask = static_cast<std::uint8_t>(0xff00u >> (prefix - bit));
  return (address[bit / 8] & mask) == (bytes[bit / 8] & mask);
}

std::optional<EgressPolicy> EgressPolicy::parse(const std::vector<std::string>& allow,
                                                std::vector<std::string>& problems) {
  EgressPolicy policy;
  const std::size_t problems_before = problems.size();
  for (const auto& entry : allow) {
    policy.entries_.push_back(entry);
    if (entry == "*") {
      policy.allow_all_ = true;
    } else if (auto range = parse_range(entry)) {
      policy.ranges_.push_back(*range);
    } else if (entry.starts_with("*.") && valid_host_name(entry.substr(2))) {
      policy.suffixes_.push_back(lower(entry.substr(1)));
    } else if (entry.find('/') == std::string::npos && valid_host_name(entry)) {
      policy.hosts_.push_back(normal_host(entry));
    } else {
      problems.push_back("--http-allow '" + entry +
                         "' is not a CIDR range, an address, a host name, *.domain or *");
    }
  }
  if (problems.size() != problems_before) return std::nullopt;
  return policy;
}

EgressPolicy EgressPolicy::allow_all() {
  EgressPolicy policy;
  policy.allow_all_ = true;
  return policy;
}

std::optional<std::string> EgressPolicy::refusal(std::string_view host,
                                                 const ip::address& address) const {
  if (allow_all_) return std::nullopt;
  const std::string name = normal_host(host);
  if (std::find(hosts_.begin(), hosts_.end(), name) != hosts_.end()) return std::nullopt;
  for (const auto& suffix : suffixes_)
    if (name.size() > suffix.size() && name.ends_with(suffix)) return std::nullopt;

  const Bytes bytes = to_bytes(address);
  for (const auto& range : ranges_)
    if (range.contains(bytes)) return std::nullopt;
  const auto check = [&](const Bytes& b) -> std::optional<std::string> {
    for (const auto& blocked_range : blocked())
      if (blocked_range.range.contains(b))
        return std::string(blocked_range.kind) + " (" + blocked_range.text + ")";
    return std::nullopt;
  };
  if (auto why = check(bytes)) return why;
  if (auto inner = embedded_v4(bytes)) {
    for (const auto& range : ranges_)
      if (range.contains(*inner)) return std::nullopt;
    if (auto why = check(*inner)) return "an address carrying " + describe(*inner) + ", " + *why;
  }
  return std::nullopt;
}

}  // namespace agdf
