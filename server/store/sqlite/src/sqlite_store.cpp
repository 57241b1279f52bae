// Opening the database: schema, checks that it is ours and readable, connections.
#include "sqlite_store.hpp"

#include <algorithm>

#include "agdf/store/store_codec.hpp"

namespace agdf::store {

std::unique_ptr<RunStore> open_sqlite_store(const SqliteOptions& options) {
  return std::make_unique<sqlite::SqliteStore>(options);
}

namespace sqlite {
namespace {

/// "agdf" in PRAGMA application_id: an SQLite file made by someone else is refused.
constexpr std::int64_t kApplicationId = 0x61676466;
constexpr std::int64_t kSchemaVersion = 1;
/// SQLite's own default threshold for moving the WAL into the database (4 MB of pages).
constexpr int kCheckpointPages = 1000;

// Runs are numbered in submission order (the keyset of ListRuns pages). A run's summary
// is its RunInfo message; the request as submitted comes last in the row, so listing
// (which reads up to info) never loads it when it is large. A run's events are stored in
// chunks, one per batch (and per 32 KB), clustered by (run, first seq): a watcher's read
// is one range scan, and a batch writes one row per run, not one per event.
constexpr const char* kSchema = R"(
CREATE TABLE meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL) WITHOUT ROWID;
CREATE TABLE runs (
  number INTEGER PRIMARY KEY,
  id TEXT NOT NULL UNIQUE,
  state INTEGER NOT NULL,
  submitted_ms INTEGER NOT NULL,
  finished_ms INTEGER NOT NULL DEFAULT 0,
  submitter TEXT NOT NULL DEFAULT '',
  info BLOB NOT NULL,
  submission BLOB NOT NULL
);
CREATE INDEX runs_by_state ON runs (state, number);
CREATE INDEX runs_by_submitter ON runs (submitter, number) WHERE submitter <> '';
CREATE INDEX runs_by_finish ON runs (finished_ms, number) WHERE finished_ms > 0;
CREATE TABLE labels (
  run INTEGER NOT NULL, key TEXT NOT NULL, value TEXT NOT NULL,
  PRIMARY KEY (run, key)
) WITHOUT ROWID;
CREATE INDEX labels_by_value ON labels (key, value, run);
CREATE TABLE event_chunks (
  run INTEGER NOT NULL, first_seq INTEGER NOT NULL, last_seq INTEGER NOT NULL,
  events BLOB NOT NULL,
  PRIMARY KEY (run, first_seq)
) WITHOUT ROWID;
)";

std::int64_t pragma(Database& db, const char* sql) {
  Query q = db.query(sql);
  return q.step() ? q.int64(0) : 0;
}

/// Creates the schema in an empty file, or checks that the file holds one we know.
void prepare_schema(Database& db) {
  const std::int64_t tables = [&] {
    Query q = db.query("SELECT count(*) FROM sqlite_master");
    return q.step() ? q.int64(0) : 0;
  }();
  const std::int64_t app = pragma(db, "PRAGMA application_id");
  if (tables == 0 && app == 0) {
    Transaction tx(db);
    db.exec(kSchema);
    db.exec(("PRAGMA application_id = " + std::to_string(kApplicationId)).c_str());
    db.exec(("PRAGMA user_version = " + std::to_string(kSchemaVersion)).c_str());
    tx.commit();
    return;
  }
  if (app != kApplicationId)
    throw StoreError("run store " + db.file().string() +
                     ": an SQLite database, but not an agdf run store; move it aside or "
                     "choose another --state-dir");
  const std::int64_t version = pragma(db, "PRAGMA user_version");
  if (version > kSchemaVersion)
    throw StoreError("run store " + db.file().string() +
                     ": written by a newer agdf-server (schema " + std::to_string(version) +
                     "; this one reads up to " + std::to_string(kSchemaVersion) + ")");
}

void configure(Database& db, bool full_sync) {
  db.exec(full_sync ? "PRAGMA synchronous = FULL" : "PRAGMA synchronous = NORMAL");
  db.exec("PRAGMA temp_store = MEMORY");
}

}  // namespace

SqliteStore::SqliteStore(const SqliteOptions& options) {
  writer_ = std::make_unique<Database>(options.file, true);
  {
    Query mode = writer_->query("PRAGMA journal_mode = WAL");
    if (!mode.step() || mode.text(0) != "wal")
      throw StoreError("run store " + options.file.string() + ": cannot switch to WAL mode");
  }
  configure(*writer_, options.full_sync);
  writer_->exec("PRAGMA cache_size = -16000");
  if (options.max_bytes != 0) {
    const std::uint64_t pages = std::max<std::uint64_t>(
        options.max_bytes / static_cast<std::uint64_t>(pragma(*writer_, "PRAGMA page_size")), 1);
    writer_->exec(("PRAGMA max_page_count = " + std::to_string(pages)).c_str());
  }
  prepare_schema(*writer_);
  checkpointer_ = std::make_unique<Checkpointer>(*writer_, options.file, kCheckpointPages);
  for (std::size_t i = 0; i < std::max<std::size_t>(options.readers, 1); ++i) {
    auto reader = std::make_unique<Database>(options.file, false);
    configure(*reader, options.full_sync);
    reader->exec("PRAGMA query_only = 1");
    readers_.push_back(std::move(reader));
  }
}

SqliteStore::Lease::~Lease() {
  {
    std::lock_guard lock(store_.readers_mutex_);
    store_.readers_.push_back(std::move(db_));
  }
  store_.reader_free_.notify_one();
}

SqliteStore::Lease SqliteStore::reader() {
  std::unique_lock lock(readers_mutex_);
  reader_free_.wait(lock, [this] { return !readers_.empty(); });
  auto db = std::move(readers_.back());
  readers_.pop_back();
  return Lease(*this, std::move(db));
}

StoreState SqliteStore::load() {
  std::lock_guard lock(write_mutex_);
  Database& db = *writer_;
  StoreState state;
  {
    Query q = db.query("SELECT coalesce(max(number), 0), count(*) FROM runs");
    if (q.step()) {
      state.max_number = static_cast<std::uint64_t>(q.int64(0));
      state.runs = static_cast<std::uint64_t>(q.int64(1));
    }
  }
  {
    Query q = db.query("SELECT value FROM meta WHERE key = 'last_alive_ms'");
    if (q.step()) state.last_alive_unix_ms = q.int64(0);
  }
  Query q = db.query(
      "SELECT number, info, submitter, submission, state FROM runs WHERE state IN (1, 2) "
      "ORDER BY number");
  while (q.step()) {
    UnfinishedRun run;
    run.run.number = static_cast<std::uint64_t>(q.int64(0));
    run.run.info = decode_info(q.blob(1), db);
    run.run.info.set_state(static_cast<v1::RunState>(q.int64(4)));  // the column is newest
    run.submitter = std::string(q.text(2));
    if (!run.submission.ParseFromArray(q.blob(3).data(), static_cast<int>(q.blob(3).size())))
      db.damaged("a stored submission does not decode");
    state.unfinished.push_back(std::move(run));
  }
  for (UnfinishedRun& run : state.unfinished) {
    // Newest chunk first: the last seq, a stored RunFinished, the newest stats snapshot.
    Query chunks = db.query(
        "SELECT first_seq, last_seq, events FROM event_chunks WHERE run = ? "
        "ORDER BY first_seq DESC");
    chunks.bind(1, static_cast<std::int64_t>(run.run.number));
    bool newest = true;
    for (int looked = 0; chunks.step() && looked < 100; ++looked) {
      if (newest) run.last_seq = static_cast<std::uint64_t>(chunks.int64(1));
      std::vector<v1::RunEvent> events = decode_events(chunks.blob(2), db);
      if (newest && !events.empty() && events.back().has_finished())
        run.finished = std::move(events.back());
      newest = false;
      if (run.finished) break;
      auto stats = std::find_if(events.rbegin(), events.rend(),
                                [](const v1::RunEvent& e) { return e.has_stats(); });
      if (stats != events.rend()) {
        run.last_stats = std::move(*stats->mutable_stats());
        break;
      }
    }
    // A run that started has RunStarted as its first event: its time is the start.
    Query first =
        db.query("SELECT events FROM event_chunks WHERE run = ? ORDER BY first_seq LIMIT 1");
    first.bind(1, static_cast<std::int64_t>(run.run.number));
    if (first.step()) {
      std::vector<v1::RunEvent> events = decode_events(first.blob(0), db);
      if (!events.empty() && events.front().has_started())
        run.run.info.set_started_unix_ms(events.front().time_unix_ms());
    }
  }
  return state;
}

v1::RunInfo decode_info(std::string_view bytes, const Database& db) {
  v1::RunInfo info;
  if (!info.ParseFromArray(bytes.data(), static_cast<int>(bytes.size())))
    db.damaged("a stored run does not decode");
  return info;
}

std::vector<v1::RunEvent> decode_events(std::string_view chunk, const Database& db) {
  std::vector<v1::RunEvent> events;
  if (!decode_chunk(chunk, events)) db.damaged("stored events do not decode");
  return events;
}

}  // namespace sqlite
}  // namespace agdf::store
