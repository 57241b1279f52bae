#pragma once
// SqliteStore: the RunStore on one SQLite file. One write connection (the writer's
// thread) and a small pool of read connections.

#include <condition_variable>
#include <memory>
#include <mutex>
#include <vector>

#include "agdf/store/sqlite_store.hpp"
#include "checkpointer.hpp"
#include "database.hpp"

namespace agdf::store::sqlite {

class SqliteStore final : public RunStore {
 public:
  explicit SqliteStore(const SqliteOptions& options);

  StoreState load() override;
  void write(const WriteBatch& batch) override;
  std::size_t prune(const Retention& retention, std::int64_t now_unix_ms,
                    std::size_t max_runs) override;
  std::optional<StoredRun> find_run(std::string_view id) override;
  RunPage list_runs(const RunQuery& query) override;
  std::vector<v1::RunEvent> read_events(std::uint64_t number, std::uint64_t from_seq,
                                        std::size_t max) override;

 private:
  /// A read connection, back in the pool when the lease ends.
  class Lease {
   public:
    Lease(SqliteStore& store, std::unique_ptr<Database> db) : store_(store), db_(std::move(db)) {}
    ~Lease();
    Database& operator*() { return *db_; }
    Database* operator->() { return db_.get(); }

   private:
    SqliteStore& store_;
    std::unique_ptr<Database> db_;
  };
  Lease reader();

  std::mutex write_mutex_;  ///< write() and prune() are one thread's, but load() may overlap
  std::unique_ptr<Database> writer_;
  std::unique_ptr<Checkpointer> checkpointer_;  ///< after writer_: stops before it closes
  std::mutex readers_mutex_;
  std::condition_variable reader_free_;
  std::vector<std::unique_ptr<Database>> readers_;
};

// Decoding what a row holds; damage is a StoreError naming the database.
v1::RunInfo decode_info(std::string_view bytes, const Database& db);
std::vector<v1::RunEvent> decode_events(std::string_view chunk, const Database& db);

}  // namespace agdf::store::sqlite
