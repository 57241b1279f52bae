# limits_tests: the request limits and runs per principal on their own, and each limit
# through a real agdf-server on loopback.
agdf_test_program(limits_tests
  SOURCES
    limits/request_limits_test.cpp
    limits/limits_daemon_test.cpp
    auth/auth_fixture.cpp
    auth/test_pki.cpp
    server/daemon_process.cpp
  LIBS agdf_test_support agdf::limits agdf::proto nlohmann_json::nlohmann_json)
target_compile_definitions(limits_tests PRIVATE
  AGDF_SERVER_BIN="$<TARGET_FILE:agdf-server>")
add_dependencies(limits_tests agdf-server)
