agdf_test_program(engine_tests
  SOURCES
    engine/graph_file_test.cpp
  LIBS agdf::engine)
