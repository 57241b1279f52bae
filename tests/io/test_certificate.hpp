#pragma once
// A self-signed certificate made by the test itself (OpenSSL), valid for 127.0.0.1, so
// HTTPS can be tested on loopback: rejected by default, accepted when trusted.

#include <string>

namespace agdf::io_test {

struct TestCertificate {
  std::string certificate_pem;
  std::string key_pem;
};

/// A fresh EC P-256 key and a self-signed certificate for IP 127.0.0.1, valid for a day.
TestCertificate make_loopback_certificate();

}  // namespace agdf::io_test
