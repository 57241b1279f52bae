// The writing half: one batch per transaction, and retention.
#include <limits>

#include "sqlite_store.hpp"

namespace agdf::store::sqlite {
namespace {

std::int64_t as_int(std::uint64_t value) {
  return static_cast<std::int64_t>(value);
}

void insert_run(Database& db, const NewRun& run) {
  db.query(
        "INSERT INTO runs (number, id, state, submitted_ms, finished_ms, submitter, info, "
        "submission) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")
      .bind(1, as_int(run.number))
      .bind(2, run.id)
      .bind(3, static_cast<std::int64_t>(run.state))
      .bind(4, run.submitted_ms)
      .bind(5, run.finished_ms)
      .bind(6, run.submitter)
      .bind_blob(7, run.info)
      .bind_blob(8, run.submission)
      .run();
  for (const auto& [key, value] : run.labels)
    db.query("INSERT INTO labels (run, key, value) VALUES (?, ?, ?)")
        .bind(1, as_int(run.number))
        .bind(2, key)
        .bind(3, value)
        .run();
}

void insert_chunk(Database& db, const EventChunk& chunk) {
  db.query(
        "INSERT OR REPLACE INTO event_chunks (run, first_seq, last_seq, events) "
        "VALUES (?, ?, ?, ?)")
      .bind(1, as_int(chunk.run))
      .bind(2, as_int(chunk.first_seq))
      .bind(3, as_int(chunk.last_seq))
      .bind_blob(4, chunk.events)
      .run();
}

void update_run(Database& db, const RunChange& change) {
  if (change.info.empty()) {
    db.query("UPDATE runs SET state = ? WHERE number = ?")
        .bind(1, static_cast<std::int64_t>(change.state))
        .bind(2, as_int(change.number))
        .run();
    return;
  }
  db.query("UPDATE runs SET state = ?, finished_ms = ?, info = ? WHERE number = ?")
      .bind(1, static_cast<std::int64_t>(change.state))
      .bind(2, change.finished_ms)
      .bind_blob(3, change.info)
      .bind(4, as_int(change.number))
      .run();
}

void delete_run(Database& db, std::int64_t number) {
  for (const char* sql : {"DELETE FROM event_chunks WHERE run = ?",
                          "DELETE FROM labels WHERE run = ?", "DELETE FROM runs WHERE number = ?"})
    db.query(sql).bind(1, number).run();
}

}  // namespace

void SqliteStore::write(const WriteBatch& batch) {
  std::lock_guard lock(write_mutex_);
  Database& db = *writer_;
  Transaction tx(db);
  for (const NewRun& run : batch.new_runs) insert_run(db, run);
  for (const EventChunk& chunk : batch.chunks) insert_chunk(db, chunk);
  for (const RunChange& change : batch.changes) update_run(db, change);
  if (batch.alive_unix_ms != 0)
    db.query(
          "INSERT INTO meta (key, value) VALUES ('last_alive_ms', ?) "
          "ON CONFLICT (key) DO UPDATE SET value = excluded.value")
        .bind(1, batch.alive_unix_ms)
        .run();
  tx.commit();
}

std::size_t SqliteStore::prune(const Retention& retention, std::int64_t now_unix_ms,
                               std::size_t max_runs) {
  std::lock_guard lock(write_mutex_);
  Database& db = *writer_;
  // Every finished run at or before (finished_ms, number) goes: the larger of the bound
  // the count sets and the one the age sets.
  std::int64_t bound_ms = 0;
  std::int64_t bound_number = 0;
  if (retention.max_age_ms > 0) {
    bound_ms = now_unix_ms - retention.max_age_ms - 1;
    bound_number = std::numeric_limits<std::int64_t>::max();
  }
  if (retention.max_runs > 0) {
    Query q = db.query(
        "SELECT finished_ms, number FROM runs WHERE finished_ms > 0 "
        "ORDER BY finished_ms DESC, number DESC LIMIT 1 OFFSET ?");
    q.bind(1, as_int(retention.max_runs));
    if (q.step() &&
        (q.int64(0) > bound_ms || (q.int64(0) == bound_ms && q.int64(1) > bound_number))) {
      bound_ms = q.int64(0);
      bound_number = q.int64(1);
    }
  }
  if (bound_ms <= 0) return 0;

  std::vector<std::int64_t> victims;
  {
    Query q = db.query(
        "SELECT number FROM runs WHERE finished_ms > 0 AND (finished_ms, number) <= (?, ?) "
        "ORDER BY finished_ms, number LIMIT ?");
    q.bind(1, bound_ms).bind(2, bound_number).bind(3, static_cast<std::int64_t>(max_runs));
    while (q.step()) victims.push_back(q.int64(0));
  }
  if (victims.empty()) return 0;
  Transaction tx(db);
  for (std::int64_t number : victims) delete_run(db, number);
  tx.commit();
  return victims.size();
}

}  // namespace agdf::store::sqlite
