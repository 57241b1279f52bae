#pragma once
// A thin RAII layer over one sqlite3 connection: prepared statements cached by their
// text, and errors as StoreError naming the database file.

#include <sqlite3.h>

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>

#include "agdf/store/run_store.hpp"

namespace agdf::store::sqlite {

class Database;

/// A prepared statement in use: bind, step, read columns. Reset when it goes out of
/// scope, so no read transaction outlives its query.
class Query {
 public:
  Query(Database& db, sqlite3_stmt* stmt) : db_(db), stmt_(stmt) {}
  ~Query();
  Query(const Query&) = delete;
  Query& operator=(const Query&) = delete;

  Query& bind(int index, std::int64_t value);
  Query& bind(int index, std::string_view text);
  Query& bind_blob(int index, std::string_view bytes);

  /// True while there is a row to read; throws StoreError on failure.
  bool step();
  /// Steps a statement that returns no rows.
  void run() { step(); }

  std::int64_t int64(int column) const { return sqlite3_column_int64(stmt_, column); }
  bool is_null(int column) const { return sqlite3_column_type(stmt_, column) == SQLITE_NULL; }
  std::string_view text(int column) const;
  std::string_view blob(int column) const;

 private:
  Database& db_;
  sqlite3_stmt* stmt_;
};

class Database {
 public:
  /// Opens (creating if `create`) the database file; throws StoreError.
  Database(std::filesystem::path file, bool create);
  ~Database();
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;

  /// Runs SQL without results (several statements allowed).
  void exec(const char* sql);
  /// The cached prepared statement for `sql`, ready to bind.
  Query query(std::string_view sql);

  /// A StoreError naming the file, the failed step and SQLite's message.
  [[noreturn]] void fail(std::string_view what) const;
  /// A StoreError for content that is not what this store wrote.
  [[noreturn]] void damaged(std::string_view what) const;

  const std::filesystem::path& file() const noexcept { return file_; }
  sqlite3* handle() const noexcept { return db_; }

 private:
  struct Finalize {
    void operator()(sqlite3_stmt* stmt) const { sqlite3_finalize(stmt); }
  };

  std::filesystem::path file_;
  sqlite3* db_ = nullptr;
  std::unordered_map<std::string, std::unique_ptr<sqlite3_stmt, Finalize>> statements_;
};

/// BEGIN IMMEDIATE ... COMMIT; rolled back if not committed.
class Transaction {
 public:
  explicit Transaction(Database& db);
  ~Transaction();
  void commit();

 private:
  Database& db_;
  bool done_ = false;
};

}  // namespace agdf::store::sqlite
