# auth_tests: principals, roles, the token file and TLS. The unit parts on their own; the
# rest against real agdf-server processes on loopback, with certificates made by the
# openssl command and tokens made by `agdf-server token add`.
agdf_test_program(auth_tests
  SOURCES
    auth/roles_test.cpp
    auth/token_file_test.cpp
    auth/exposure_test.cpp
    auth/test_pki.cpp
    auth/auth_fixture.cpp
    auth/token_command_test.cpp
    auth/rpc_rights_test.cpp
    auth/worker_rights_test.cpp
    auth/ownership_test.cpp
    auth/listen_guard_test.cpp
    auth/log_secrecy_test.cpp
    auth/tls_test.cpp
    server/daemon_process.cpp
  LIBS agdf_test_support agdf::auth agdf::proto nlohmann_json::nlohmann_json)
target_compile_definitions(auth_tests PRIVATE
  AGDF_CLI="$<TARGET_FILE:agdf>"
  AGDF_SERVER_BIN="$<TARGET_FILE:agdf-server>")
add_dependencies(auth_tests agdf agdf-server)
