# Reads the registry (impls/include/wakerbench/registry.hpp) at configure time: compiles and runs
# list_impls.cpp, and sets, in the caller's scope, in registry order:
#   WAKERBENCH_ROWS          every row
#   WAKERBENCH_MUTEX_ROWS    the rows over MutexChannel (model-checked one by one)
#   WAKERBENCH_LOCKFREE_ROWS the rows over LockFreeChannel
#   WAKERBENCH_BASELINES, WAKERBENCH_PEERS
#   WAKERBENCH_IMPL_COUNT    rows + baselines + peers: what every benchmark family registers
# Editing registry.hpp (or any header it includes from wakerbench/) re-runs CMake on the next build.
function(wakerbench_read_registry)
  set(impls_dir ${CMAKE_CURRENT_FUNCTION_LIST_DIR}/..)
  cmake_path(NORMAL_PATH impls_dir)
  set(include_dir ${impls_dir}/include)
  file(GLOB_RECURSE headers CONFIGURE_DEPENDS ${include_dir}/wakerbench/*.hpp)
  set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${headers})
  get_target_property(tbb_includes TBB::tbb INTERFACE_INCLUDE_DIRECTORIES)
  set(includes ${include_dir} ${MOODYCAMEL_INCLUDE_DIR} ${Boost_INCLUDE_DIRS})
  if(tbb_includes)
    list(APPEND includes ${tbb_includes})
  endif()
  message(STATUS "Reading the registry (impls/include/wakerbench/registry.hpp)")
  try_run(run_result compile_result
          ${CMAKE_BINARY_DIR}/registry-reader ${CMAKE_CURRENT_FUNCTION_LIST_DIR}/list_impls.cpp
          CMAKE_FLAGS "-DINCLUDE_DIRECTORIES=${includes}"
          CXX_STANDARD 20 CXX_STANDARD_REQUIRED ON CXX_EXTENSIONS OFF
          LINK_LIBRARIES Threads::Threads TBB::tbb
          COMPILE_OUTPUT_VARIABLE compile_output
          RUN_OUTPUT_VARIABLE listing)
  if(NOT compile_result)
    message(FATAL_ERROR "The registry does not compile (impls/include/wakerbench/registry.hpp); "
                        "the compiler said:\n${compile_output}")
  endif()
  if(NOT run_result EQUAL 0)
    message(FATAL_ERROR "Reading the registry failed (exit ${run_result}):\n${listing}")
  endif()
  set(rows "")
  set(mutex_rows "")
  set(lockfree_rows "")
  set(baselines "")
  set(peers "")
  string(REPLACE "\n" ";" lines "${listing}")
  foreach(line IN LISTS lines)
    if(line STREQUAL "")
      continue()
    endif()
    if(NOT line MATCHES "^(row|baseline|peer) (mutex|lockfree|own) ([a-z_][a-z0-9_]*)$")
      message(FATAL_ERROR "The registry lists an implementation CMake cannot use: '${line}' "
                          "(names are lower-case identifiers: letters, digits, underscores)")
    endif()
    set(list ${CMAKE_MATCH_1})
    set(core ${CMAKE_MATCH_2})
    set(name ${CMAKE_MATCH_3})
    if(list STREQUAL "row")
      list(APPEND rows ${name})
      if(core STREQUAL "mutex")
        list(APPEND mutex_rows ${name})
      elseif(core STREQUAL "lockfree")
        list(APPEND lockfree_rows ${name})
      endif()
    elseif(list STREQUAL "baseline")
      list(APPEND baselines ${name})
    else()
      list(APPEND peers ${name})
    endif()
  endforeach()
  list(LENGTH rows n_rows)
  list(LENGTH baselines n_baselines)
  list(LENGTH peers n_peers)
  math(EXPR impl_count "${n_rows} + ${n_baselines} + ${n_peers}")
  message(STATUS "Registry: rows ${rows}; baselines ${baselines}; peers ${peers}")
  set(WAKERBENCH_ROWS ${rows} PARENT_SCOPE)
  set(WAKERBENCH_MUTEX_ROWS ${mutex_rows} PARENT_SCOPE)
  set(WAKERBENCH_LOCKFREE_ROWS ${lockfree_rows} PARENT_SCOPE)
  set(WAKERBENCH_BASELINES ${baselines} PARENT_SCOPE)
  set(WAKERBENCH_PEERS ${peers} PARENT_SCOPE)
  set(WAKERBENCH_IMPL_COUNT ${impl_count} PARENT_SCOPE)
endfunction()
