# http_tests: the HTTP port of a real agdf-server on loopback (JSON API against gRPC,
# the event stream, limits, /metrics), and the HTTP server in-process for TLS and auth.
agdf_test_program(http_tests
  SOURCES
    server/daemon_process.cpp
    server/daemon_fixture.cpp
    io/test_certificate.cpp
    http/http_client.cpp
    http/http_fixture.cpp
    http/http_api_test.cpp
    http/http_stream_test.cpp
    http/http_limits_test.cpp
    http/http_metrics_test.cpp
    http/http_tls_test.cpp
    http/http_hostile_test.cpp
    server/hostile_client.cpp
  LIBS agdf_test_support agdf::http agdf::client agdf::proto OpenSSL::SSL OpenSSL::Crypto)
target_compile_definitions(http_tests PRIVATE
  AGDF_SERVER_BIN="$<TARGET_FILE:agdf-server>"
  AGDF_EXAMPLES_DIR="${PROJECT_SOURCE_DIR}/examples")
add_dependencies(http_tests agdf-server http_auth_server)

# Prometheus's own tools against a real daemon: promtool check metrics, and a real
# prometheus server on loopback scraping it (Debian `prometheus`, from scripts/setup.sh).
add_test(NAME HttpPrometheus.PromtoolAndARealPrometheusScrape
  COMMAND /usr/bin/python3 ${CMAKE_CURRENT_SOURCE_DIR}/http/py/prometheus_test.py
          --server $<TARGET_FILE:agdf-server>)
set_tests_properties(HttpPrometheus.PromtoolAndARealPrometheusScrape PROPERTIES TIMEOUT 240)

# An HTTP port that needs a token (bearer_tokens), so the browser test can see the
# dashboard ask for one.
add_executable(http_auth_server http/auth_server_main.cpp)
target_link_libraries(http_auth_server PRIVATE agdf::http agdf::settings)

# The dashboard in headless Chromium through Selenium; screenshots land in
# build/tests/artifacts/. Exit 77 (skipped) only when Chromium cannot start.
add_test(NAME HttpDashboard.InHeadlessChromium
  COMMAND /usr/bin/python3 ${CMAKE_CURRENT_SOURCE_DIR}/http/py/dashboard_test.py
          --server $<TARGET_FILE:agdf-server> --auth-server $<TARGET_FILE:http_auth_server>
          --artifacts ${CMAKE_CURRENT_BINARY_DIR}/artifacts)
set_tests_properties(HttpDashboard.InHeadlessChromium PROPERTIES TIMEOUT 300 SKIP_RETURN_CODE 77)
