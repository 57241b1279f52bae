#pragma once
/// Whether a listen address can be reached from other machines: a daemon without
/// tokens only listens where it cannot (unless told it may, --insecure-listen-anywhere).

#include <string_view>

namespace agdf::auth {

/// True for loopback listen addresses: 127.x.x.x, ::1, localhost (each with a port), and
/// unix sockets. False for wildcard addresses, other addresses and host names.
bool loopback_only(std::string_view listen) noexcept;

}  // namespace agdf::auth
