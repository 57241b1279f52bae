#pragma once
// Moves the WAL's pages into the database file on a thread of its own: SQLite would
// otherwise do it (with an fsync) inside whichever commit crossed the threshold, on the
// writer's thread, where every SubmitRun waits for the next commit.

#include <condition_variable>
#include <memory>
#include <mutex>
#include <thread>

#include "database.hpp"

namespace agdf::store::sqlite {

class Checkpointer {
 public:
  /// Checkpoints `file` through a connection of its own once `writer`'s commits have put
  /// `threshold_pages` pages into the WAL. Turns off the writer's automatic checkpoints.
  Checkpointer(Database& writer, const std::filesystem::path& file, int threshold_pages);
  ~Checkpointer();
  Checkpointer(const Checkpointer&) = delete;
  Checkpointer& operator=(const Checkpointer&) = delete;

 private:
  static int on_commit(void* self, sqlite3* db, const char* name, int pages);
  void loop();

  Database& writer_;
  const int threshold_pages_;
  std::unique_ptr<Database> db_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool due_ = false;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace agdf::store::sqlite
