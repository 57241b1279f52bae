agdf_test_program(nodes_tests
  SOURCES
    engine/run_harness.cpp
    nodes/node_run.cpp
    nodes/item_test.cpp
    nodes/builtin_test.cpp
    nodes/json_text_test.cpp
    nodes/hostile_config_test.cpp
    nodes/offload_cancel_test.cpp
    nodes/catalog_test.cpp
    nodes/signature_test.cpp
  LIBS agdf::engine agdf::nodes)
