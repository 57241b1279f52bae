// Opening the database: schema, checks that it is ours and readable, connections.
#include "sqlite_store.hpp"

namespace agdf::store {

std::unique_ptr<RunStore> open_sqlite_store(const SqliteOptions& options) {
  return std::make_unique<sqlite::SqliteStore>(options);
}

namespace sqlite {
namespace {

/// "agdf" in PRAGMA application_id: an SQLite file made by someone else is refused.
constexpr std::int64_t kApplicationId = 0x61676466;
constexpr std::int64_t kSchemaVersion = 1;

// Runs are numbered in submission order (the keyset of ListRuns pages). A run's summary
// is its RunInfo message; the request as submitted comes last in the row, so listing
// (which reads up to info) never loads it when it is large. Events are clustered by
// (run, seq): a watcher's read is one range scan.
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
CREATE TABLE events (
  run INTEGER NOT NULL, seq INTEGER NOT NULL, event BLOB NOT NULL,
  PRIMARY KEY (run, seq)
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
    {  // A run that started has RunStarted as its first event: its time is the start.
      Query first = db.query("SELECT event FROM events WHERE run = ? AND seq = 1");
      first.bind(1, static_cast<std::int64_t>(run.run.number));
      if (first.step()) {
        v1::RunEvent event = decode_event(first.blob(0), db);
        if (event.has_started()) run.run.info.set_started_unix_ms(event.time_unix_ms());
      }
    }
    Query events = db.query("SELECT seq, event FROM events WHERE run = ? ORDER BY seq DESC");
    events.bind(1, static_cast<std::int64_t>(run.run.number));
    // The last seq, and the newest stats snapshot among the last events.
    for (int looked = 0; events.step() && looked < 1000; ++looked) {
      if (looked == 0) run.last_seq = static_cast<std::uint64_t>(events.int64(0));
      v1::RunEvent event = decode_event(events.blob(1), db);
      if (event.has_missed() && looked == 0) run.last_seq = event.missed().to_seq();
      if (event.has_finished() && looked == 0) {
        run.finished = std::move(event);
        break;
      }
      if (event.has_stats()) {
        run.last_stats = std::move(*event.mutable_stats());
        break;
      }
    }
  }
  return state;
}

std::string encode_event(const v1::RunEvent& event) {
  std::string bytes = event.SerializeAsString();
  // run_id is field 1, written first: drop it. Anything else is kept as it is.
  if (bytes.size() >= 2 && static_cast<unsigned char>(bytes[0]) == 0x0a) {
    std::size_t length = 0;
    std::size_t at = 1;
    for (int shift = 0; at < bytes.size() && shift < 35; shift += 7, ++at) {
      const auto byte = static_cast<unsigned char>(bytes[at]);
      length |= static_cast<std::size_t>(byte & 0x7f) << shift;
      if ((byte & 0x80) == 0) {
        ++at;
        if (at + length <= bytes.size()) bytes.erase(0, at + length);
        break;
      }
    }
  }
  return bytes;
}

v1::RunInfo decode_info(std::string_view bytes, const Database& db) {
  v1::RunInfo info;
  if (!info.ParseFromArray(bytes.data(), static_cast<int>(bytes.size())))
    db.damaged("a stored run does not decode");
  return info;
}

v1::RunEvent decode_event(std::string_view bytes, const Database& db) {
  v1::RunEvent event;
  if (!event.ParseFromArray(bytes.data(), static_cast<int>(bytes.size())))
    db.damaged("a stored event does not decode");
  return event;
}

}  // namespace sqlite
}  // namespace agdf::store
