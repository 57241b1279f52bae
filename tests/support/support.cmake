# agdf_test_support: what the test programs (and the benchmarks that drive a real daemon)
# share: the one fork/exec helper.
add_library(agdf_test_support STATIC support/child_process.cpp)
target_include_directories(agdf_test_support PUBLIC ${CMAKE_CURRENT_SOURCE_DIR})
target_link_libraries(agdf_test_support PRIVATE agdf::settings)
