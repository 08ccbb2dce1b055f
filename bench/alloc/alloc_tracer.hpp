// Allocation counts of the whole process: every operator new/delete form and the malloc family,
// on every thread, including allocations made inside third-party headers and inside libc. The
// counting definitions live in alloc_tracer.cpp, linked into the executable as an object file
// (CMake OBJECT library wakerbench_alloc_system or wakerbench_alloc_jemalloc), so they replace the
// library versions for everything in the process. See README.md for what counts as what.
#pragma once

#include <cstddef>
#include <cstdint>

namespace wakerbench::alloc {

// allocs/frees: blocks handed out / given back; bytes: bytes requested by the allocations (not
// what the allocator rounded up to, not net of frees).
struct AllocCounts {
    std::uint64_t allocs = 0, frees = 0, bytes = 0;
    friend bool operator==(const AllocCounts&, const AllocCounts&) = default;
};

constexpr AllocCounts operator-(AllocCounts a, AllocCounts b) {
    return {a.allocs - b.allocs, a.frees - b.frees, a.bytes - b.bytes};
}

// Sum over every thread, live and exited. Lock-free and allocation-free. Exact when taken where
// the threads being counted are quiescent, i.e. their allocations happen before the call (joined,
// or waiting on a barrier the caller has passed). Allocations racing with the call may or may not
// be in it; each counter only ever grows, so snapshots are monotonic.
AllocCounts alloc_totals() noexcept;

namespace detail {
// Per-thread slots; a thread beyond this many live ones counts into shared atomics (still exact).
inline constexpr std::size_t kSlots = 256;
// Slots claimed right now (by live threads, and by the main thread for ever): for tests.
std::size_t slots_in_use() noexcept;
}  // namespace detail

}  // namespace wakerbench::alloc
