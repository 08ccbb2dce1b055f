# ctest helper: runs BENCH --benchmark_list_tests (with WAKERBENCH_CPUS=CPUS, so the listing does
# not depend on the machine running the test) and fails unless
#   - it lists EXPECTED benchmarks in all,
#   - each family lists its count (FAMILIES: "family=count;..."; a benchmark's family is its first
#     name component without the width: mpmc4x4 -> mpmc, tasks256 -> tasks, waitlist -> waitlist),
#   - every workload in WORKLOADS (first name components, e.g. "mpsc128") is there.
cmake_minimum_required(VERSION 3.25)  # IN_LIST, in script mode
set(ENV{WAKERBENCH_CPUS} "${CPUS}")
execute_process(COMMAND "${BENCH}" --benchmark_list_tests=true
                OUTPUT_VARIABLE listing RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "${BENCH} --benchmark_list_tests exited with ${rc}")
endif()
string(REGEX MATCHALL "[^\n]+" names "${listing}")
list(LENGTH names count)
set(failures "")
if(NOT count EQUAL EXPECTED)
  string(APPEND failures "\n  ${count} benchmarks in all, expected ${EXPECTED}")
endif()

set(seen_workloads "")
foreach(name IN LISTS names)
  string(REGEX REPLACE "/.*" "" workload "${name}")
  string(REGEX REPLACE "[0-9]+(x[0-9]+)?$" "" family "${workload}")
  math(EXPR "n_${family}" "${n_${family}}+0+1")
  list(APPEND seen_workloads "${workload}")
endforeach()
foreach(pair IN LISTS FAMILIES)
  string(REPLACE "=" ";" kv "${pair}")
  list(GET kv 0 family)
  list(GET kv 1 want)
  set(got "${n_${family}}")
  if(NOT got)
    set(got 0)
  endif()
  if(NOT got EQUAL want)
    string(APPEND failures "\n  family ${family}: ${got} benchmarks, expected ${want}")
  endif()
endforeach()
foreach(workload IN LISTS WORKLOADS)
  if(NOT workload IN_LIST seen_workloads)
    string(APPEND failures "\n  no workload ${workload}")
  endif()
endforeach()
if(failures)
  message(FATAL_ERROR "${BENCH} with WAKERBENCH_CPUS=${CPUS}:${failures}")
endif()
message(STATUS "${BENCH} with WAKERBENCH_CPUS=${CPUS} lists ${count} benchmarks, as expected per family")
