#pragma once
// What the sweep takes from the machine it runs on: how many CPUs this process may use, and from
// that the thread counts of the scaling workloads and the size of the coroutine pool. Read once,
// in main(), before anything is registered, so the listing and the runs agree.
//
// WAKERBENCH_CPUS=N overrides the count (a positive integer): to list what a bigger machine would
// run, or to pin a test to one shape. It is recorded in the results' context like the real count.

#include <sched.h>

#include <algorithm>
#include <charconv>
#include <cstddef>
#include <cstdlib>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace wakerbench::bench {

// The largest WAKERBENCH_CPUS accepted: 2 x this many threads per side is already far past what a
// sweep can run in its budget.
inline constexpr std::size_t kMaxCpus = 1024;

struct Machine {
    std::size_t cpus = 1;          // CPUs this process may run on (its affinity mask), or the override
    bool overridden = false;       // cpus came from WAKERBENCH_CPUS

    // Producer (and, for mpmc, consumer) counts of the scaling workloads: 2 and 4 always (today's
    // mpsc2/mpsc4/mpmc2x2/mpmc4x4, so results from any machine still compare), every power of two
    // up to the CPU count, the CPU count itself, and one oversubscribed point at twice it.
    [[nodiscard]] std::vector<std::size_t> scaling_widths() const {
        std::vector<std::size_t> w{2, 4, cpus, 2 * cpus};
        for (std::size_t p = 8; p <= cpus; p *= 2) w.push_back(p);
        std::erase_if(w, [](std::size_t x) { return x < 2; });
        std::sort(w.begin(), w.end());
        w.erase(std::unique(w.begin(), w.end()), w.end());
        return w;
    }

    // Worker threads of the rt::ThreadPool that runs the many-task workloads: one per CPU, at most
    // four (a pool much wider than that measures its own run queue, not the channel).
    [[nodiscard]] std::size_t pool_threads() const noexcept { return std::clamp<std::size_t>(cpus, 1, 4); }
};

// The value of WAKERBENCH_CPUS if it is set and valid; an error message naming the problem if it is
// set and not valid; nothing if it is unset.
struct CpusOverride {
    std::optional<std::size_t> value;
    std::string error;
};
inline CpusOverride parse_cpus_override(const char* text) {
    if (text == nullptr) return {};
    const std::string_view s(text);
    std::size_t n = 0;
    const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), n);
    if (s.empty() || ec != std::errc{} || end != s.data() + s.size() || n == 0 || n > kMaxCpus)
        return {std::nullopt, "WAKERBENCH_CPUS='" + std::string(s) + "' is not a CPU count from 1 to " + std::to_string(kMaxCpus) +
                                  "; unset it to use this machine's own count"};
    return {n, {}};
}

// The CPUs of this process's affinity mask (what taskset or a container allows), in order; empty if
// the kernel will not say.
inline std::vector<int> allowed_cpus() {
    cpu_set_t set;
    CPU_ZERO(&set);
    std::vector<int> cpus;
    if (sched_getaffinity(0, sizeof set, &set) != 0) return cpus;
    for (int c = 0; c < CPU_SETSIZE; ++c)
        if (CPU_ISSET(c, &set)) cpus.push_back(c);
    return cpus;
}

// How many CPUs this process may use, at least 1.
inline std::size_t affinity_cpus() { return std::max<std::size_t>(1, allowed_cpus().size()); }

}  // namespace wakerbench::bench
