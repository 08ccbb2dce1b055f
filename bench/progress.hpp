#pragma once
// Progress that survives random interleaving. With --benchmark_enable_random_interleaving, Google
// Benchmark prints a benchmark's line only once its last repetition has run, which with repetitions
// in random order is near the end of the run for most of them: counting those lines says little
// until the end. So every benchmark also ticks after each run of its body (Teardown: each
// repetition, plus the iteration-count estimate of the first one) by appending one byte to the
// file named by WAKERBENCH_PROGRESS_FILE, whose size scripts/sweep's progress.py reads. Unset: no
// ticks, nothing opened.

#include <benchmark/benchmark.h>
#include <fcntl.h>
#include <unistd.h>

#include <cstdlib>

namespace wakerbench::bench {

inline void tick_progress(const benchmark::State&) {
    static const int fd = [] {
        const char* path = std::getenv("WAKERBENCH_PROGRESS_FILE");
        return path && *path ? ::open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644) : -1;
    }();
    if (fd < 0) return;
    if (::write(fd, ".", 1) != 1) return;  // a lost tick only makes the estimate a little late
}

// Registers `b`'s tick; returns b, so it chains like Google Benchmark's own setters.
inline benchmark::internal::Benchmark* with_progress(benchmark::internal::Benchmark* b) { return b->Teardown(tick_progress); }

}  // namespace wakerbench::bench
