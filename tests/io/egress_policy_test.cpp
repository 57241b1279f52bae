// The egress policy on its own: which addresses the network functions may reach by
// default, and what --http-allow opens (CIDRs, addresses, host names, *.domain, *).

#include <gtest/gtest.h>

#include "agdf/nodes/egress_policy.hpp"

namespace agdf {
namespace {

namespace ip = boost::asio::ip;

EgressPolicy policy(const std::vector<std::string>& allow = {}) {
  std::vector<std::string> problems;
  auto parsed = EgressPolicy::parse(allow, problems);
  EXPECT_TRUE(problems.empty()) << problems.front();
  return *parsed;
}

bool allowed(const EgressPolicy& p, const std::string& address, const std::string& host = "") {
  return !p.refusal(host.empty() ? address : host, ip::make_address(address));
}

TEST(EgressPolicy, RefusesInternalAddressesByDefault) {
  const auto p = policy();
  for (const char* address :
       {"127.0.0.1",  "127.8.9.10",      "::1",         "10.0.0.1",        "10.255.255.255",
        "172.16.0.1", "172.31.255.255",  "192.168.0.1", "169.254.169.254", "169.254.0.1",
        "0.0.0.0",    "0.1.2.3",         "::",          "fe80::1",         "febf::1",
        "fc00::1",    "fd12:3456::1",    "100.64.0.1",  "100.127.255.254", "224.0.0.1",
        "239.1.2.3",  "255.255.255.255", "240.0.0.1",   "198.18.0.1",      "ff02::1",
        "fec0::1",    "192.0.0.8"})
    EXPECT_FALSE(allowed(p, address)) << address;
}

TEST(EgressPolicy, AllowsPublicAddressesByDefault) {
  const auto p = policy();
  for (const char* address : {"8.8.8.8", "1.1.1.1", "172.15.255.255", "172.32.0.1", "192.169.0.1",
                              "11.0.0.1", "100.128.0.1", "169.253.0.1", "2606:4700::1111",
                              "2a00:1450:4001::200e", "::ffff:8.8.8.8", "64:ff9b::808:808"})
    EXPECT_TRUE(allowed(p, address)) << address;
}

TEST(EgressPolicy, SeesThroughIpv4InIpv6) {
  const auto p = policy();
  // IPv4-mapped, NAT64, IPv4-compatible and 6to4 spellings of inside addresses.
  for (const char* address :
       {"::ffff:127.0.0.1", "::ffff:169.254.169.254", "::ffff:10.1.2.3", "64:ff9b::a9fe:a9fe",
        "64:ff9b::7f00:1", "::a00:1", "2002:7f00:1::", "2002:a9fe:a9fe::1"})
    EXPECT_FALSE(allowed(p, address)) << address;
  EXPECT_EQ(p.refusal("h", ip::make_address("::ffff:127.0.0.1")),
            "a loopback address (127.0.0.0/8)");
  EXPECT_EQ(p.refusal("h", ip::make_address("64:ff9b::a9fe:a9fe")),
            "an address carrying 169.254.169.254, a link-local address (169.254.0.0/16)");
}

TEST(EgressPolicy, SaysWhatTheAddressIs) {
  const auto p = policy();
  EXPECT_EQ(p.refusal("x", ip::make_address("169.254.169.254")),
            "a link-local address (169.254.0.0/16)");
  EXPECT_EQ(p.refusal("x", ip::make_address("fd00::1")),
            "a private (unique local) address (fc00::/7)");
  EXPECT_EQ(p.refusal("x", ip::make_address("172.20.1.1")), "a private address (172.16.0.0/12)");
}

TEST(EgressPolicy, AllowedRangesOpenExactlyThemselves) {
  const auto p = policy({"10.0.0.0/8", "127.0.0.1", "fd00::/8", "192.168.7.1/24"});
  EXPECT_TRUE(allowed(p, "10.200.3.4"));
  EXPECT_TRUE(allowed(p, "127.0.0.1"));
  EXPECT_TRUE(allowed(p, "::ffff:127.0.0.1"));
  EXPECT_FALSE(allowed(p, "127.0.0.2"));
  EXPECT_TRUE(allowed(p, "fd12::1"));
  EXPECT_FALSE(allowed(p, "fc00::1"));
  EXPECT_TRUE(allowed(p, "192.168.7.200"));  // host bits of the entry are ignored
  EXPECT_FALSE(allowed(p, "192.168.8.1"));
  EXPECT_FALSE(allowed(p, "::1"));
}

TEST(EgressPolicy, AllowedHostNamesMatchTheUrlHostWhateverItResolvesTo) {
  const auto p = policy({"localhost", "*.corp.example"});
  EXPECT_TRUE(allowed(p, "127.0.0.1", "localhost"));
  EXPECT_TRUE(allowed(p, "::1", "LocalHost."));
  EXPECT_TRUE(allowed(p, "10.1.1.1", "api.corp.example"));
  EXPECT_TRUE(allowed(p, "10.1.1.1", "a.b.corp.example"));
  EXPECT_FALSE(allowed(p, "10.1.1.1", "corp.example"));
  EXPECT_FALSE(allowed(p, "10.1.1.1", "evilcorp.example"));
  EXPECT_FALSE(allowed(p, "127.0.0.1", "localhost.evil.example"));
}

TEST(EgressPolicy, StarAndAllowAllAllowEverything) {
  EXPECT_TRUE(allowed(policy({"*"}), "169.254.169.254"));
  EXPECT_TRUE(EgressPolicy::allow_all().allows_everything());
  EXPECT_TRUE(allowed(EgressPolicy::allow_all(), "::1"));
  EXPECT_TRUE(allowed(policy({"0.0.0.0/0", "::/0"}), "10.0.0.1"));
}

TEST(EgressPolicy, BadEntriesAreAllReported) {
  std::vector<std::string> problems;
  EXPECT_FALSE(EgressPolicy::parse(
      {"10.0.0.0/33", "::1/129", "not a host", "", "10.0.0.0/x", "ok.example"}, problems));
  ASSERT_EQ(problems.size(), 5u);
  EXPECT_EQ(
      problems[0],
      "--http-allow '10.0.0.0/33' is not a CIDR range, an address, a host name, *.domain or *");
}

}  // namespace
}  // namespace agdf
