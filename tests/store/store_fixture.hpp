#pragma once
/// Runs and events to store, and a test that owns a real SQLite run store in a temp dir.

#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <string>

#include "agdf/store/run_store.hpp"
#include "agdf/store/sqlite_store.hpp"
#include "agdf/store/store_codec.hpp"
#include "store/temp_dir.hpp"

namespace agdf::testing {

namespace v1 = ::agdf::v1;
using store::EventPtr;

/// A run's summary as the daemon would store it.
v1::RunInfo run_info(const std::string& id, v1::RunState state,
                     const std::map<std::string, std::string>& labels = {},
                     std::int64_t finished_ms = 0);

/// A new run numbered `number`, id "r<number>", with a one-node graph as its submission.
store::NewRun new_run(std::uint64_t number, v1::RunState state = v1::RUN_STATE_QUEUED,
                      const std::map<std::string, std::string>& labels = {});

/// A run's final state, finished at `finished_ms`.
store::RunChange finished_change(std::uint64_t number, v1::RunState state,
                                 std::int64_t finished_ms);

EventPtr output_event(std::uint64_t seq, const std::string& item_json);
EventPtr stats_event(std::uint64_t seq, std::uint64_t out);
EventPtr finished_event(std::uint64_t seq, v1::RunState state);

/// One chunk holding these events of run `number`, in order.
store::EventChunk chunk_of(std::uint64_t number, std::initializer_list<EventPtr> events);

/// A batch holding just these events of run `number`, as one chunk.
store::WriteBatch events_batch(std::uint64_t number, std::initializer_list<EventPtr> events);

class StoreTest : public ::testing::Test {
 protected:
  void SetUp() override { reopen(); }

  /// Closes the store (if open) and opens the same file again.
  void reopen(store::SqliteOptions options = {});
  void close() { store_.reset(); }

  store::RunStore& store() { return *store_; }
  std::filesystem::path file() const { return dir_ / "runs.db"; }

 private:
  TempDir dir_;
  std::unique_ptr<store::RunStore> store_;
};

}  // namespace agdf::testing
