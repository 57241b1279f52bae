# client_tests: the client library's pure parts, and the real `agdf` binary driven
# against a real agdf-server on a loopback port.
agdf_test_program(client_tests
  SOURCES
    client/arguments_test.cpp
    client/event_json_test.cpp
    client/exit_codes_test.cpp
    client/graph_drawing_test.cpp
    client/graph_text_test.cpp
    client/run_view_test.cpp
    client/cli_fixture.cpp
    client/server_process.cpp
    server/daemon_process.cpp
    client/tcp_proxy.cpp
    client/cli_resume_test.cpp
    client/cli_run_test.cpp
    client/cli_server_test.cpp
    client/cli_terminal_test.cpp
    client/cli_history_test.cpp
  LIBS agdf_test_support agdf::client nlohmann_json::nlohmann_json util)
target_compile_definitions(client_tests PRIVATE
  AGDF_CLI="$<TARGET_FILE:agdf>"
  AGDF_SERVER_BIN="$<TARGET_FILE:agdf-server>"
  AGDF_EXAMPLES_DIR="${PROJECT_SOURCE_DIR}/examples")
add_dependencies(client_tests agdf agdf-server)
