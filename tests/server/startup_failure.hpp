#pragma once
/// Starts agdf-server expecting it to refuse: waits (bounded) for it to exit and returns
/// its exit code and what it wrote. A daemon that starts serving instead is killed and
/// reported with exit code -1.

#include <string>
#include <vector>

#include "support/child_process.hpp"

namespace agdf::testing {

/// Exit code -1: it started serving (or did not end in time).
using StartupOutcome = Finished;

/// Runs `[wrapper...] binary serve --listen 127.0.0.1:0 args...`.
StartupOutcome start_expecting_failure(const std::string& binary,
                                       const std::vector<std::string>& args,
                                       const std::vector<std::string>& wrapper = {});

}  // namespace agdf::testing
