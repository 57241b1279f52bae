#pragma once
/// Helpers for the run-history tests: whole runs, and everything a client can see of the
/// history, to compare before and after a restart.

#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "server/daemon_fixture.hpp"

namespace agdf::testing {

/// Submits `request` and reads its events to RunFinished; returns the run id.
std::string run_to_end(v1::Agdf::Stub& stub, const v1::SubmitRunRequest& request);

v1::RunInfo get_run(v1::Agdf::Stub& stub, const std::string& id);

/// Every page of ListRuns for `request` (page size as set in it).
std::vector<v1::RunInfo> list_all(v1::Agdf::Stub& stub, v1::ListRunsRequest request = {});

bool is_final_state(v1::RunState state);

/// The `seq` of every event, in order.
std::vector<std::uint64_t> seqs(const std::vector<v1::RunEvent>& events);

/// Polls `condition` (every few ms) until it holds or 60 s pass.
template <typename Condition>
bool eventually(Condition condition) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (std::chrono::steady_clock::now() < deadline) {
    if (condition()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return condition();
}

}  // namespace agdf::testing
