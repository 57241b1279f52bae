#pragma once
// The `serve` flags of issue 13: TLS, tokens, the listen guard, the egress policy and the
// request limits (README "Security"), each with its AGDF_* variable.

#include <CLI/CLI.hpp>

#include "agdf/service/daemon.hpp"

namespace agdf::server {

void add_security_options(CLI::App& serve, service::DaemonOptions& options);
void add_limit_options(CLI::App& serve, limits::RequestLimits& limits);

}  // namespace agdf::server
