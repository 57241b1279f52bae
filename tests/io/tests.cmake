# io_tests: the HTTP, file and record-shaping functions, run through the engine against a
# real HTTP(S) server on loopback and real files in a fresh temp directory; and the
# brewery example through the real agdf-server daemon and its gRPC API.
find_package(OpenSSL REQUIRED)

agdf_test_program(io_tests
  SOURCES
    io/io_harness.cpp
    io/test_http_server.cpp
    io/test_certificate.cpp
    io/brewery_data.cpp
    io/breweries_example_test.cpp
    io/http_get_test.cpp
    io/http_paginate_test.cpp
    io/https_test.cpp
    io/data_dir_confinement_test.cpp
    io/csv_write_test.cpp
    io/file_read_test.cpp
    io/record_shaping_test.cpp
    io/breweries_daemon_test.cpp
    io/egress_policy_test.cpp
    io/egress_daemon_test.cpp
    server/daemon_process.cpp
  LIBS agdf_test_support agdf::engine agdf::nodes agdf::proto OpenSSL::SSL OpenSSL::Crypto)
target_compile_definitions(io_tests PRIVATE
  AGDF_EXAMPLES_DIR="${PROJECT_SOURCE_DIR}/examples"
  AGDF_SERVER_BIN="$<TARGET_FILE:agdf-server>")
add_dependencies(io_tests agdf-server)
