# store_tests: the run store on real SQLite files in temp directories, its batched
# writer, and the state directory's lock and layout rules.
find_package(SQLite3 REQUIRED)  # the tests make foreign and damaged files with it
agdf_test_program(store_tests
  SOURCES
    store/store_fixture.cpp
    store/sqlite_store_test.cpp
    store/sqlite_files_test.cpp
    store/store_writer_test.cpp
    store/state_dir_test.cpp
  LIBS agdf::store_sqlite agdf::store SQLite::SQLite3)
