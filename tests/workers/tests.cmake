# workers_tests: the parts of agdf::workers that need no process (the rest is tested
# end to end by the Python tests, with real daemons and real worker processes).
agdf_test_program(workers_tests
  SOURCES
    workers/json_text_test.cpp
  LIBS agdf::workers)
target_include_directories(workers_tests PRIVATE ${PROJECT_SOURCE_DIR}/server/workers/src)
