# Runs the real agdf-server binary on the example graph files.
agdf_test_program(runner_tests
  SOURCES
    runner/one_shot_runner_test.cpp
  LIBS agdf_test_support nlohmann_json::nlohmann_json)
target_compile_definitions(runner_tests PRIVATE
  AGDF_SERVER_BIN="$<TARGET_FILE:agdf-server>"
  AGDF_EXAMPLES_DIR="${PROJECT_SOURCE_DIR}/examples")
add_dependencies(runner_tests agdf-server)
