#pragma once
/// Events a watcher reads back from the run history when the in-memory log no longer has
/// them: what the store answered, with EventsMissed markers for what it lacks (deleted by
/// retention, or never written). Shared by WatchRun and the HTTP event stream.

#include <cstdint>
#include <string>
#include <vector>

#include "agdf/service/event_log.hpp"

namespace agdf::service {

/// Events asked of the store at a time.
inline constexpr std::size_t kStoredEventsChunk = 256;

/// An EventsMissed marker for seqs `from`..`to` of run `run_id` (its seq is `to`, so "last
/// seen + 1" resumes right after the gap).
EventPtr missed_event(const std::string& run_id, std::uint64_t from, std::uint64_t to);

struct StoredEvents {
  std::vector<EventPtr> events;  ///< in seq order, gaps as EventsMissed
  std::uint64_t next_seq = 0;    ///< where the watcher goes on
};

/// Turns the `read` answer to a store read of seqs `from`..`to` (at most `asked` events
/// asked) into what the watcher sends: a gap the store cannot fill becomes EventsMissed.
StoredEvents stored_events(const std::string& run_id, std::uint64_t from, std::uint64_t to,
                           std::size_t asked, std::vector<v1::RunEvent> read);

}  // namespace agdf::service
