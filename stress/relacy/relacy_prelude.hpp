#pragma once
// Relacy's header defines macros named new, delete, malloc, free, assert, errno, the memory orders
// and most of the pthread API; they would rewrite any header parsed after it. So everything the
// checker uses is included first, then Relacy, and then the macros that would rewrite ordinary
// code are undone. Only the checker's one Relacy translation unit (checks.cpp) includes this, and
// it includes it first.
//
// Relacy replaces the global operator new/delete (to find leaks and use-after-free) but not the
// sized delete, so the checker is built with -fno-sized-deallocation (see CMakeLists.txt).

#include <algorithm>
#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <streambuf>
#include <functional>
#include <iostream>
#include <mutex>
#include <optional>
#include <source_location>
#include <span>
#include <sstream>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "wakerbench/channel/handles.hpp"
#include "wakerbench/channel/lockfree_channel.hpp"
#include "wakerbench/channel/mutex_channel.hpp"
#include "wakerbench/sync/eventcount.hpp"
#include "wakerbench/sync/faults.hpp"
#include "wakerbench/runtime/run_loop.hpp"
#include "wakerbench/runtime/spawn.hpp"
#include "wakerbench/registry.hpp"  // every row's wait list: the checker instantiates the mutex rows from it

#include <relacy/relacy.hpp>

#undef new
#undef delete
#undef malloc
#undef calloc
#undef realloc
#undef free
#undef assert
#undef errno
#undef memory_order_relaxed
#undef memory_order_consume
#undef memory_order_acquire
#undef memory_order_release
#undef memory_order_acq_rel
#undef memory_order_seq_cst
#undef sched_yield
