// The tracer counts known allocation patterns exactly: each form on this thread, a thread that
// exits, many threads at once (more than there are slots), and allocations made inside libc; and
// the allocator behind it is the one this binary is built for (WAKERBENCH_EXPECTED_ALLOCATOR).
// Built once per allocator. Every snapshot is taken where no other thread can be allocating.

#include <gtest/gtest.h>
#include <pthread.h>

#include <barrier>
#include <cerrno>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <new>
#include <ostream>
#include <thread>
#include <vector>

#include "alloc_tracer.hpp"
#include "allocator.hpp"

namespace wakerbench::alloc {
void PrintTo(const AllocCounts& c, std::ostream* os) {
    *os << "{allocs " << c.allocs << ", frees " << c.frees << ", bytes " << c.bytes << "}";
}
}  // namespace wakerbench::alloc

namespace {

using wakerbench::alloc::alloc_totals;
using wakerbench::alloc::AllocCounts;

// Passes p through an opaque asm: GCC removes malloc/free and new/delete pairs whose block is
// never used, which would hide the very calls counted here.
template <class T>
T* keep(T* p) {
    asm volatile("" : "+r"(p) : : "memory");
    return p;
}

// What `op` allocated and freed, as the tracer counted it.
template <class Op>
AllocCounts counted(Op&& op) {
    const AllocCounts before = alloc_totals();
    op();
    return alloc_totals() - before;
}

AllocCounts allocs(std::uint64_t n, std::uint64_t bytes) { return {n, 0, bytes}; }
AllocCounts frees(std::uint64_t n) { return {0, n, 0}; }

struct alignas(128) Wide {
    char data[256];
};
struct Sized {
    std::uint64_t words[3];
};

TEST(AllocTracer, CountsEachFormExactly) {
    void* a = nullptr;
    void* b = nullptr;
    void* c = nullptr;
    EXPECT_EQ(counted([&] { a = keep(std::malloc(10)); }), allocs(1, 10));
    EXPECT_EQ(counted([&] { b = keep(std::malloc(200)); }), allocs(1, 200));
    EXPECT_EQ(counted([&] { c = keep(std::malloc(3000)); }), allocs(1, 3000));
    void* zeroed = nullptr;
    EXPECT_EQ(counted([&] { zeroed = keep(std::calloc(7, 9)); }), allocs(1, 63));
    ASSERT_NE(zeroed, nullptr);
    EXPECT_EQ(static_cast<unsigned char*>(zeroed)[62], 0);
    EXPECT_EQ(counted([&] { b = keep(std::realloc(b, 5000)); }), (AllocCounts{1, 1, 5000}));
    void* aligned = nullptr;
    EXPECT_EQ(counted([&] { ASSERT_EQ(posix_memalign(&aligned, 64, 128), 0); }), allocs(1, 128));
    EXPECT_EQ(reinterpret_cast<std::uintptr_t>(aligned) % 64, 0u);
    void* page = nullptr;
    EXPECT_EQ(counted([&] { page = keep(aligned_alloc(4096, 4096)); }), allocs(1, 4096));
    EXPECT_EQ(reinterpret_cast<std::uintptr_t>(page) % 4096, 0u);
    Wide* wide = nullptr;
    EXPECT_EQ(counted([&] { wide = keep(new Wide); }), allocs(1, sizeof(Wide)));  // aligned new
    EXPECT_EQ(reinterpret_cast<std::uintptr_t>(wide) % alignof(Wide), 0u);
    char* chars = nullptr;
    EXPECT_EQ(counted([&] { chars = keep(new (std::nothrow) char[33]); }), allocs(1, 33));
    Sized* sized = nullptr;
    EXPECT_EQ(counted([&] { sized = keep(new Sized); }), allocs(1, sizeof(Sized)));
    void* raw = nullptr;
    EXPECT_EQ(counted([&] { raw = keep(::operator new(40)); }), allocs(1, 40));

    // Made inside libc: strdup's malloc, reallocarray's realloc reach our definitions.
    const char* text = keep("allocated by libc");
    char* copy = nullptr;
    EXPECT_EQ(counted([&] { copy = keep(strdup(text)); }), allocs(1, std::strlen(text) + 1));
    void* array = nullptr;
    EXPECT_EQ(counted([&] { array = keep(reallocarray(nullptr, 4, 8)); }), allocs(1, 32));

    EXPECT_EQ(counted([&] { std::free(keep(a)); }), frees(1));
    EXPECT_EQ(counted([&] { std::free(keep(b)); }), frees(1));
    EXPECT_EQ(counted([&] { std::free(keep(c)); }), frees(1));
    EXPECT_EQ(counted([&] { std::free(keep(zeroed)); }), frees(1));
    EXPECT_EQ(counted([&] { std::free(keep(aligned)); }), frees(1));
    EXPECT_EQ(counted([&] { std::free(keep(page)); }), frees(1));
    EXPECT_EQ(counted([&] { delete keep(wide); }), frees(1));    // sized aligned delete
    EXPECT_EQ(counted([&] { delete[] keep(chars); }), frees(1));
    EXPECT_EQ(counted([&] { delete keep(sized); }), frees(1));   // sized delete
    EXPECT_EQ(counted([&] { ::operator delete(keep(raw), 40); }), frees(1));
    EXPECT_EQ(counted([&] { std::free(keep(copy)); }), frees(1));
    EXPECT_EQ(counted([&] { std::free(keep(array)); }), frees(1));
}

TEST(AllocTracer, EdgeCasesFollowTheRules) {
    // free(nullptr) and delete of a null pointer are nothing.
    EXPECT_EQ(counted([] { std::free(keep(static_cast<void*>(nullptr))); }), AllocCounts{});
    EXPECT_EQ(counted([] { delete keep(static_cast<Sized*>(nullptr)); }), AllocCounts{});
    // malloc(0) hands out a block of its own, to be freed like any other.
    void* empty = nullptr;
    EXPECT_EQ(counted([&] { empty = keep(std::malloc(0)); }), allocs(1, 0));
    EXPECT_NE(empty, nullptr);
    // realloc(p, 0) frees p (glibc's behaviour, in both builds); realloc(nullptr, n) is malloc(n).
    EXPECT_EQ(counted([&] { EXPECT_EQ(std::realloc(keep(empty), 0), nullptr); }), frees(1));
    void* grown = nullptr;
    EXPECT_EQ(counted([&] { grown = keep(std::realloc(nullptr, 24)); }), allocs(1, 24));
    std::free(grown);
    // An overflowing calloc fails without allocating.
    volatile std::size_t huge = SIZE_MAX / 2;
    EXPECT_EQ(counted([&] {
                  errno = 0;
                  EXPECT_EQ(std::calloc(huge, 3), nullptr);
                  EXPECT_EQ(errno, ENOMEM);
              }),
              AllocCounts{});
    // A failed allocation counts nothing; a failed realloc leaves the block, and counts nothing.
    EXPECT_EQ(counted([&] { EXPECT_EQ(std::malloc(huge), nullptr); }), AllocCounts{});
    EXPECT_EQ(counted([&] { EXPECT_EQ(::operator new(huge, std::nothrow), nullptr); }), AllocCounts{});
    EXPECT_THROW((void)keep(::operator new(huge)), std::bad_alloc);  // (the exception is allocated)
    void* (*volatile realloc_opaque)(void*, std::size_t) = std::realloc;  // GCC would flag the free below
    void* block = keep(std::malloc(16));
    EXPECT_EQ(counted([&] { EXPECT_EQ(realloc_opaque(block, huge), nullptr); }), AllocCounts{});
    std::free(block);
    // posix_memalign rejects an alignment that is not a power-of-two multiple of sizeof(void*).
    void* out = nullptr;
    EXPECT_EQ(counted([&] { EXPECT_EQ(posix_memalign(&out, 24, 8), EINVAL); }), AllocCounts{});
}

// Runs body on a new thread and returns everything counted from before its start to after its
// join: the thread's own allocations and the thread machinery's.
template <class Body>
AllocCounts around_thread(Body body) {
    return counted([&] { std::thread(body).join(); });
}

void* g_left_by_thread = nullptr;

TEST(AllocTracer, AnExitedThreadsCountsSurvive) {
    around_thread([] {});  // the first thread makes glibc cache a stack and its TLS vector
    const AllocCounts empty = around_thread([] {});
    ASSERT_EQ(around_thread([] {}), empty) << "starting and joining a thread should cost the same each time";
    const AllocCounts busy = around_thread([] {
        g_left_by_thread = keep(new char[100]);  // outlives the thread
        delete keep(new std::uint64_t(7));
    });
    EXPECT_EQ(busy - empty, (AllocCounts{2, 1, 108}));
    EXPECT_EQ(counted([] { delete[] keep(static_cast<char*>(g_left_by_thread)); }), frees(1));
}

TEST(AllocTracer, AThreadHoldsASlotUntilItExits) {
    using wakerbench::alloc::detail::slots_in_use;
    const std::size_t before = slots_in_use();
    std::size_t during = 0;
    AllocCounts first{};
    std::thread([&] {
        // The thread's first allocation claims its slot; claiming itself must allocate nothing.
        first = counted([] { delete keep(new std::uint32_t(1)); });
        during = slots_in_use();
    }).join();
    EXPECT_EQ(first, (AllocCounts{1, 1, 4}));
    EXPECT_EQ(during, before + 1);
    EXPECT_EQ(slots_in_use(), before);
}

// The premise of claiming without allocating: glibc stores the values of keys below 32
// (PTHREAD_KEY_2NDLEVEL_SIZE) inside the thread descriptor. The tracer's key was made at the
// process's first allocation; keys go lowest-free-first, so one made now is above it.
TEST(AllocTracer, LowPthreadKeysStoreWithoutAllocating) {
    pthread_key_t key{};
    ASSERT_EQ(pthread_key_create(&key, nullptr), 0);
    EXPECT_LT(key, 32u);
    int value = 0;
    AllocCounts stored{};
    std::thread([&] {
        delete keep(new int(0));  // the tracer's own key first
        stored = counted([&] { pthread_setspecific(key, &value); });
    }).join();
    EXPECT_EQ(stored, AllocCounts{});
    pthread_key_delete(key);
}

// Threads all live at once, each making `per_thread` allocations of 24 bytes between two
// barriers, with the snapshots taken by this thread while they wait.
AllocCounts concurrent_allocations(std::size_t threads, std::size_t per_thread) {
    std::barrier sync(static_cast<std::ptrdiff_t>(threads + 1));
    std::vector<std::thread> pool;
    pool.reserve(threads);
    for (std::size_t t = 0; t < threads; ++t) {
        pool.emplace_back([&] {
            sync.arrive_and_wait();  // started
            sync.arrive_and_wait();  // the first snapshot is taken
            for (std::size_t i = 0; i < per_thread; ++i) delete keep(new Sized);
            sync.arrive_and_wait();  // done
            sync.arrive_and_wait();  // the second snapshot is taken: exit
        });
    }
    sync.arrive_and_wait();
    const AllocCounts before = alloc_totals();
    sync.arrive_and_wait();
    sync.arrive_and_wait();
    const AllocCounts during = alloc_totals() - before;
    sync.arrive_and_wait();
    for (auto& thread : pool) thread.join();
    return during;
}

TEST(AllocTracer, ThreadsSumExactly) {
    constexpr std::uint64_t kThreads = 8, kEach = 1000;
    EXPECT_EQ(concurrent_allocations(kThreads, kEach), (AllocCounts{kThreads * kEach, kThreads * kEach, kThreads * kEach * 24}));
}

TEST(AllocTracer, ThreadsBeyondTheSlotsStillSumExactly) {
    constexpr std::uint64_t kThreads = wakerbench::alloc::detail::kSlots + 16, kEach = 50;
    EXPECT_EQ(concurrent_allocations(kThreads, kEach), (AllocCounts{kThreads * kEach, kThreads * kEach, kThreads * kEach * 24}));
}

TEST(Allocator, IsTheOneThisBinaryIsBuiltFor) {
    EXPECT_EQ(wakerbench::alloc::allocator_name(), WAKERBENCH_EXPECTED_ALLOCATOR);
    EXPECT_FALSE(wakerbench::alloc::allocator_version().empty());
    wakerbench::alloc::verify_allocator();  // exits with status 1 on failure
}

TEST(Allocator, BytesInUseGrowWithLiveBlocks) {
    constexpr std::size_t kBlock = 64 * 1024, kBlocks = 64, kHeld = kBlock * kBlocks;  // 4 MiB
    std::vector<void*> blocks;
    blocks.reserve(kBlocks);
    const auto before = wakerbench::alloc::allocator_bytes_in_use();
    ASSERT_TRUE(before.has_value());
    for (std::size_t i = 0; i < kBlocks; ++i) blocks.push_back(keep(std::malloc(kBlock)));
    const auto held = wakerbench::alloc::allocator_bytes_in_use();
    for (void* block : blocks) std::free(block);
    ASSERT_TRUE(held.has_value());
    const double grew = static_cast<double>(*held) - static_cast<double>(*before);
    EXPECT_GE(grew, 0.9 * kHeld);
    EXPECT_LE(grew, 1.5 * kHeld);
}

}  // namespace
