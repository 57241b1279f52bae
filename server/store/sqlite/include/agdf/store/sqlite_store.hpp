#pragma once
/// The embedded RunStore: one SQLite database file in WAL mode, so readers (GetRun,
/// ListRuns, WatchRun) never wait for the writer and the writer never waits for them.

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>

#include "agdf/store/run_store.hpp"

namespace agdf::store {

struct SqliteOptions {
  std::filesystem::path file;
  /// true: every commit is fsynced (survives power loss); false: survives a crash of the
  /// daemon but the last commits may be lost if the machine itself goes down.
  bool full_sync = false;
  std::size_t readers = 2;  ///< read connections, used by one thread at a time
  /// 0: no limit; beyond it writes fail as they would on a full disk.
  std::uint64_t max_bytes = 0;
};

/// Opens the database, creating it (and its schema) when the file does not exist yet.
/// Throws StoreError with a clear message when it cannot be opened or written, is not an
/// agdf run store, or is damaged.
std::unique_ptr<RunStore> open_sqlite_store(const SqliteOptions& options);

}  // namespace agdf::store
