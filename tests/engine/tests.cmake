agdf_test_program(engine_tests
  SOURCES
    engine/run_harness.cpp
    engine/test_functions.cpp
    engine/graph_file_test.cpp
    engine/validation_test.cpp
    engine/worked_examples_test.cpp
    engine/unpacking_test.cpp
    engine/concurrency_test.cpp
    engine/start_nodes_test.cpp
    engine/errors_test.cpp
    engine/cancellation_test.cpp
    engine/concurrent_runs_test.cpp
    engine/reporting_test.cpp
    engine/edge_behaviours_test.cpp
    engine/policies_test.cpp
    engine/time_slicing_test.cpp
  LIBS agdf::engine agdf::nodes)
