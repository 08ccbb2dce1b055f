# ctest helper: runs BENCH --benchmark_list_tests and fails unless it lists EXPECTED benchmarks.
execute_process(COMMAND "${BENCH}" --benchmark_list_tests=true
                OUTPUT_VARIABLE listing RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "${BENCH} --benchmark_list_tests exited with ${rc}")
endif()
string(REGEX MATCHALL "[^\n]+" names "${listing}")
list(LENGTH names count)
if(NOT count EQUAL EXPECTED)
  message(FATAL_ERROR "${BENCH} lists ${count} benchmarks, expected ${EXPECTED}")
endif()
message(STATUS "${BENCH} lists ${count} benchmarks")
