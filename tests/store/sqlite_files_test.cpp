// Database files the store must refuse, loudly: garbage, damage, someone else's SQLite
// file, a newer schema, a full disk. Never an empty history in their place.
#include <sqlite3.h>

#include <fstream>

#include "store/store_fixture.hpp"

namespace agdf::testing {
namespace {

using SqliteFiles = StoreTest;

/// The StoreError message opening (and loading) `file` gives; "" when it opens fine.
std::string open_error(const std::filesystem::path& file) {
  try {
    auto store = store::open_sqlite_store({.file = file});
    store->load();
    store->list_runs({});
    return {};
  } catch (const store::StoreError& e) {
    return e.what();
  }
}

void run_sql(const std::filesystem::path& file, const char* sql) {
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(file.c_str(), &db), SQLITE_OK);
  EXPECT_EQ(sqlite3_exec(db, sql, nullptr, nullptr, nullptr), SQLITE_OK) << sqlite3_errmsg(db);
  sqlite3_close(db);
}

TEST_F(SqliteFiles, AFileOfGarbageIsRefusedAsNotADatabase) {
  close();
  std::filesystem::remove(file());
  std::ofstream(file()) << std::string(8192, 'x');
  const std::string error = open_error(file());
  EXPECT_NE(error.find(file().string()), std::string::npos) << error;
  EXPECT_NE(error.find("not a database"), std::string::npos) << error;
}

TEST_F(SqliteFiles, ADamagedDatabaseIsRefusedNotReadAsEmpty) {
  store::WriteBatch batch;
  for (std::uint64_t n = 1; n <= 200; ++n) batch.new_runs.push_back(new_run(n));
  store().write(batch);
  close();  // checkpoints the WAL into the file
  {
    // Keep the header, overwrite every page after the first.
    std::fstream f(file(), std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(4096);
    const std::string junk(static_cast<std::size_t>(std::filesystem::file_size(file()) - 4096),
                           '\x5a');
    f.write(junk.data(), static_cast<std::streamsize>(junk.size()));
  }
  const std::string error = open_error(file());
  EXPECT_NE(error.find("damaged"), std::string::npos) << error;
}

TEST_F(SqliteFiles, AnotherProgramsSqliteDatabaseIsRefused) {
  close();
  std::filesystem::remove(file());
  run_sql(file(), "CREATE TABLE notes (text TEXT); INSERT INTO notes VALUES ('mine')");
  const std::string error = open_error(file());
  EXPECT_NE(error.find("not an agdf run store"), std::string::npos) << error;
}

TEST_F(SqliteFiles, AStoreFromANewerDaemonIsRefused) {
  close();
  run_sql(file(), "PRAGMA user_version = 99");
  const std::string error = open_error(file());
  EXPECT_NE(error.find("newer agdf-server"), std::string::npos) << error;
}

TEST_F(SqliteFiles, AFullDiskFailsTheWriteAndLeavesEarlierRunsIntact) {
  reopen({.file = {}, .full_sync = false, .readers = 1, .max_bytes = 256 * 1024});
  store::WriteBatch small;
  small.new_runs.push_back(new_run(1));
  store().write(small);

  store::WriteBatch big;
  for (std::uint64_t n = 2; n <= 2000; ++n) big.new_runs.push_back(new_run(n));
  try {
    store().write(big);
    FAIL() << "a batch larger than the disk was written";
  } catch (const store::StoreError& e) {
    EXPECT_NE(std::string(e.what()).find("full"), std::string::npos) << e.what();
  }
  EXPECT_TRUE(store().find_run("r1"));
  EXPECT_FALSE(store().find_run("r2"));  // all or nothing
}

}  // namespace
}  // namespace agdf::testing
