#pragma once
// --pin (wb_bench's own flag, scripts/sweep --pin): each party thread of a thread workload runs on a
// core of its own, party i on the i-th CPU of the process's affinity mask, when there are at least
// as many CPUs as parties (otherwise nobody is pinned: the workload is oversubscribed anyway).
//
// Why: on a small VM, where the scheduler puts two threads that hand items to each other decides
// their speed more than the channel does (on one core a handoff is a local context switch, on two
// it is a cross-core wake-up, and which one a run gets changes from run to run). Pinned, every run
// of a point gets the same placement, so repetitions vary less; the price is that the figures are
// those of one placement, cross-core, which the page says.

#include <pthread.h>
#include <sched.h>

#include <cstddef>
#include <optional>
#include <vector>

#include "machine.hpp"

namespace wakerbench::bench {

// Set once by main() before any benchmark runs; read by every Crew.
inline bool& pin_parties() noexcept {
    static bool pin = false;
    return pin;
}

// The CPU party `i` of `parties` runs on, or nothing if the crew is not pinned.
inline std::optional<int> party_cpu(std::size_t i, std::size_t parties) {
    if (!pin_parties()) return std::nullopt;
    static const std::vector<int> cpus = allowed_cpus();
    if (parties > cpus.size()) return std::nullopt;
    return cpus[i];
}

// Pins the calling thread to `cpu`; false if the kernel refused.
inline bool pin_this_thread(int cpu) noexcept {
    cpu_set_t set;
    CPU_ZERO(&set);
    CPU_SET(cpu, &set);
    return pthread_setaffinity_np(pthread_self(), sizeof set, &set) == 0;
}

}  // namespace wakerbench::bench
