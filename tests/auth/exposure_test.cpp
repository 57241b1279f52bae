// Which listen addresses are loopback-only (served without tokens) and which are not.

#include <gtest/gtest.h>

#include "agdf/auth/exposure.hpp"

namespace agdf::auth {
namespace {

TEST(Exposure, LoopbackAddressesAreLocal) {
  for (const char* address : {"127.0.0.1:50051", "127.0.0.1:0", "127.1.2.3:80", "localhost:50051",
                              "[::1]:50051", "::1", "[::ffff:127.0.0.1]:1", "unix:/run/agdf.sock"})
    EXPECT_TRUE(loopback_only(address)) << address;
}

TEST(Exposure, WildcardsOtherAddressesAndNamesAreNot) {
  for (const char* address :
       {"0.0.0.0:50051", "[::]:50051", "10.0.0.5:50051", "192.168.1.2:1", "agdf.example.com:50051",
        "[2001:db8::1]:1", ":50051", "", "128.0.0.1:1", "localhost.example:1"})
    EXPECT_FALSE(loopback_only(address)) << address;
}

}  // namespace
}  // namespace agdf::auth
