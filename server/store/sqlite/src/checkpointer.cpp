#include "checkpointer.hpp"

#include <pthread.h>

namespace agdf::store::sqlite {

Checkpointer::Checkpointer(Database& writer, const std::filesystem::path& file, int threshold_pages)
    : writer_(writer),
      threshold_pages_(threshold_pages),
      db_(std::make_unique<Database>(file, false)),
      thread_([this] { loop(); }) {
  sqlite3_wal_hook(writer_.handle(), &Checkpointer::on_commit, this);  // also ends autocheckpoint
}

Checkpointer::~Checkpointer() {
  sqlite3_wal_hook(writer_.handle(), nullptr, nullptr);
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_one();
  thread_.join();
}

int Checkpointer::on_commit(void* self, sqlite3*, const char*, int pages) {
  auto* checkpointer = static_cast<Checkpointer*>(self);
  if (pages < checkpointer->threshold_pages_) return SQLITE_OK;
  {
    std::lock_guard lock(checkpointer->mutex_);
    checkpointer->due_ = true;
  }
  checkpointer->wake_.notify_one();
  return SQLITE_OK;
}

void Checkpointer::loop() {
  pthread_setname_np(pthread_self(), "agdf-checkpoint");
  for (;;) {
    {
      std::unique_lock lock(mutex_);
      wake_.wait(lock, [this] { return due_ || stopping_; });
      if (stopping_) return;
      due_ = false;
    }
    // PASSIVE: copies what no reader still needs, never blocks the writer or readers. A
    // failure is retried at the next threshold; the WAL keeps every commit meanwhile.
    sqlite3_wal_checkpoint_v2(db_->handle(), nullptr, SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
  }
}

}  // namespace agdf::store::sqlite
