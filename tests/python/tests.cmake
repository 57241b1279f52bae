# The Python package's tests: real agdf-server processes on loopback ports and real worker
# processes, run by Debian's /usr/bin/python3 (AGDF_PYTHON) with the package from the build
# tree. One ctest entry per test module.
set(agdf_python_tests
  test_items
  test_worker
  test_pools
  test_protocol
  test_client
  test_supervisor
  test_reference_api
  test_brewery
  test_auth
  test_worker_metrics
)
foreach(module ${agdf_python_tests})
  add_test(NAME python.${module}
           COMMAND ${AGDF_PYTHON} -m unittest -v ${module}
           WORKING_DIRECTORY ${CMAKE_CURRENT_SOURCE_DIR}/python)
  set_tests_properties(python.${module} PROPERTIES
    TIMEOUT 300
    ENVIRONMENT "PYTHONPATH=${PROJECT_BINARY_DIR}/client/python:${CMAKE_CURRENT_SOURCE_DIR}/python;AGDF_SERVER_BIN=$<TARGET_FILE:agdf-server>;AGDF_CLI=$<TARGET_FILE:agdf>;AGDF_EXAMPLES_DIR=${PROJECT_SOURCE_DIR}/examples;PYTHONDONTWRITEBYTECODE=1")
endforeach()
