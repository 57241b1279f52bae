#pragma once
/// Settings of the daemon's side of the worker protocol (flags of agdf-server).

#include <chrono>
#include <cstdint>
#include <functional>
#include <string>
#include <utility>
#include <vector>

namespace agdf::workers {

/// The most calls of one node the daemon places at workers ahead of time (lookahead).
inline constexpr std::int64_t kMaxQueuedPerNode = 1024;

struct WorkerOptions {
  /// A side that has sent nothing for this long sends a heartbeat.
  std::chrono::milliseconds heartbeat_interval{1000};
  /// A worker silent for this long is lost: its calls go to another worker of the pool.
  std::chrono::milliseconds heartbeat_timeout{10'000};
  /// How long a call waits for a worker when none serves its function (the last one left,
  /// or none has connected yet) before it fails; also how long such a function stays
  /// listed, so a graph naming it can still be submitted while its worker restarts.
  std::chrono::milliseconds worker_wait{30'000};
  /// Items a call may yield before the daemon has accepted them downstream.
  std::uint32_t window = 256;
  /// Calls of a node queued at a worker behind the one it is running, so the next call
  /// starts without a network round trip. 0 sends a call only when a task is free. A
  /// node with many tasks gets less, so it never has more than kMaxQueuedPerNode calls
  /// out at once (its max_tasks, when that is more).
  std::uint32_t lookahead = 1024;
  /// Calls a worker runs at once for a function that registered concurrency 0.
  std::uint32_t default_concurrency = 64;
};

/// Something of note on the worker side (a worker registered, was refused, was lost).
struct WorkerLogEvent {
  bool warning = false;
  std::string message;
  std::vector<std::pair<std::string, std::string>> fields;
};

/// Where those events go (the daemon's log); may be empty.
using WorkerLog = std::function<void(const WorkerLogEvent&)>;

}  // namespace agdf::workers
