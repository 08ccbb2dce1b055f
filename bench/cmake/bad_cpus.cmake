# ctest helper: BENCH with a WAKERBENCH_CPUS that is not a CPU count must exit 2, name the variable
# and its value, and list nothing.
cmake_minimum_required(VERSION 3.25)
foreach(bad IN ITEMS 0 0x2 -1 many 99999)
  set(ENV{WAKERBENCH_CPUS} "${bad}")
  execute_process(COMMAND "${BENCH}" --benchmark_list_tests=true
                  OUTPUT_VARIABLE out ERROR_VARIABLE err RESULT_VARIABLE rc)
  if(NOT rc EQUAL 2)
    message(FATAL_ERROR "WAKERBENCH_CPUS=${bad}: exit status ${rc}, expected 2")
  endif()
  if(NOT err MATCHES "WAKERBENCH_CPUS='${bad}' is not a CPU count")
    message(FATAL_ERROR "WAKERBENCH_CPUS=${bad}: the error does not name it: ${err}")
  endif()
  if(NOT out STREQUAL "")
    message(FATAL_ERROR "WAKERBENCH_CPUS=${bad}: listed benchmarks anyway")
  endif()
endforeach()
message(STATUS "every bad WAKERBENCH_CPUS was refused")
