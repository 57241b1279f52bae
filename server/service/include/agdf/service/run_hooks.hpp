#pragma once
/// What the daemon's other parts (metrics today) learn about runs from the run manager,
/// without the manager knowing who listens. Every method may be called from any thread
/// and must not block. The defaults do nothing.

#include <cstdint>
#include <memory>
#include <string_view>

#include "agdf/engine/run_observer.hpp"
#include "agdf/v1/agdf.pb.h"

namespace agdf::service {

class RunRecord;

class RunHooks {
 public:
  virtual ~RunHooks() = default;

  /// A run was accepted (started or queued).
  virtual void on_submitted(const RunRecord& run) { (void)run; }
  /// A submission was refused: "invalid", "queue_full", "shutting_down", "not_stored" or
  /// "principal_limit".
  virtual void on_refused(std::string_view reason) { (void)reason; }
  /// A run reached its final state, whether it ever started or not.
  virtual void on_final(const RunRecord& run, v1::RunState state) { (void)run, (void)state; }
  /// An event was appended to a run's event log.
  virtual void on_event_written() {}
  /// A watcher was told it missed `count` events (one EventsMissed).
  virtual void on_events_missed(std::uint64_t count) { (void)count; }
};

}  // namespace agdf::service
