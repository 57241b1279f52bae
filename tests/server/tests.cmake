# server_tests: the event log on its own, and the real agdf-server binary driven through
# the generated gRPC client on a free loopback port.
agdf_test_program(server_tests
  SOURCES
    server/daemon_process.cpp
    server/daemon_fixture.cpp
    server/event_log_test.cpp
    server/functions_test.cpp
    server/runs_test.cpp
    server/watch_test.cpp
    server/cancel_test.cpp
    server/concurrency_test.cpp
    server/shutdown_test.cpp
    server/edge_behaviours_test.cpp
    server/spinning_runs_test.cpp
    server/startup_failure.cpp
    server/history_helpers.cpp
    server/history_startup_test.cpp
    server/history_test.cpp
    server/hostile_client.cpp
    server/hostile_input_test.cpp
    server/hostile_battery_test.cpp
    server/limits_and_bounds_test.cpp
  LIBS agdf_test_support agdf::service agdf::nodes agdf::proto)
target_compile_definitions(server_tests PRIVATE
  AGDF_SERVER_BIN="$<TARGET_FILE:agdf-server>"
  AGDF_EXAMPLES_DIR="${PROJECT_SOURCE_DIR}/examples")
add_dependencies(server_tests agdf-server)
