# metrics_tests: the Prometheus text rendering, and per-function counts folded from what
# a run reports (a real engine run).
agdf_test_program(metrics_tests
  SOURCES
    metrics/registry_test.cpp
    metrics/run_metrics_test.cpp
  LIBS agdf::metrics agdf::engine)
