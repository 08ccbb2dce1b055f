#pragma once
// The families of benchmarks wb_bench registers, one translation unit each (so they compile in
// parallel), in the order they are listed and run:
//   thread_workloads.cpp  seq, spsc, mpscP, mpmcPxP, ping_pong over the full matrix, and burst/
//   pool_workloads.cpp    tasksM, fanoutK, churnN: coroutines on one pool, where waiting dominates
//   reference_workloads.cpp  reference/: the thread workloads' sync u64 points, in plain loops
//   waitlist/bench.cpp    waitlist/: each wait-list strategy driven directly, no channel, no thread
// (tracer_overhead/: alloc/overhead_bench.cpp, register_tracer_overhead.) Under --count, each
// registers only its single-threaded points, counted (count/counting.hpp).

#include "machine.hpp"

namespace wakerbench::bench {

void register_thread_workloads(const Machine& machine);
void register_pool_workloads(const Machine& machine);
void register_references(const Machine& machine);
void register_waitlists();

}  // namespace wakerbench::bench
