#pragma once
// What a starting daemon does with the runs the previous one left unfinished: a run that
// was running cannot be resumed (its items lived in memory), so it ends FAILED with a
// failure naming the interruption; a run that was still queued runs now.

#include <cstdint>
#include <string>
#include <vector>

#include "agdf/nodes/registry.hpp"
#include "agdf/service/run_history.hpp"
#include "agdf/service/run_manager.hpp"
#include "agdf/store/run_store.hpp"
#include "agdf/v1/unix_time.hpp"

namespace agdf::service {

struct Recovery {
  /// The RunFinished event and final state of every run that was running.
  store::WriteBatch interrupted;
  std::vector<std::string> interrupted_ids;
  /// Runs that were queued, oldest first: they run again.
  std::vector<store::UnfinishedRun> queued;
};

/// Sorts what `loaded` left unfinished; `loaded.unfinished` is moved from.
Recovery plan_recovery(store::StoreState& loaded, std::int64_t now_unix_ms);

/// "interrupted: the daemon stopped while the run was running (last sign of life ...)".
std::string interruption_failure(std::int64_t last_alive_unix_ms, std::int64_t now_unix_ms);

/// At start-up, before serving: stores the end of every run the store left running, and
/// hands the queued ones to `runs` to run again (converted and validated once more; one
/// that no longer validates ends FAILED saying why). Throws store::StoreError.
void recover_runs(RunHistory& history, RunManager& runs, const Registry& registry,
                  const ValidationContext& context);

using v1::utc_time;

}  // namespace agdf::service
