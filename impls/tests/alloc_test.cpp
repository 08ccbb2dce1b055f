// Steady-state allocation per row. This executable replaces the global operator new/delete (every
// form) with counting versions, which is why it is its own test binary.
//
// Workload: ping-pong through two capacity-1 channels, A (pinger -> ponger) and B (ponger ->
// pinger), so both sides block in recv every round. After a warm-up, allocations on every thread
// are counted over a fixed number of round trips. Expected: intrusive never allocates, slab and
// vec_reuse do not once warm, vec allocates at least once per round trip (its vector is re-grown
// after every take). Modes: sync threads; two coroutines on a RunLoop (deterministic: each
// suspends exactly once per round); a coroutine on a ThreadPool against a sync thread.
// With real threads the pinger sends each ping only once it has seen (stats().waits) that the
// ponger is blocked in recv on A, so the ponger blocks exactly once per round trip whatever the
// scheduling: the wait/wake path is measured every round, not just when timing happens to allow.

#include <gtest/gtest.h>

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <new>
#include <string>
#include <thread>

#include "rows.hpp"
#include "test_util.hpp"
#include "wakerbench/wakerbench.hpp"

// ---- counting allocator ------------------------------------------------------------------------

namespace {

std::atomic<bool> g_counting{false};
std::atomic<std::size_t> g_allocs{0};
std::atomic<std::size_t> g_bytes{0};

void note(std::size_t n) noexcept {
    // relaxed: start/stop are ordered by the channel traffic and the joins around the window.
    if (g_counting.load(std::memory_order_relaxed)) {
        g_allocs.fetch_add(1, std::memory_order_relaxed);
        g_bytes.fetch_add(n, std::memory_order_relaxed);
    }
}

void* plain_alloc(std::size_t n) noexcept {
    note(n);
    return std::malloc(n ? n : 1);
}

void* aligned_alloc_(std::size_t n, std::align_val_t a) noexcept {
    note(n);
    std::size_t align = static_cast<std::size_t>(a);
    if (align < sizeof(void*)) align = sizeof(void*);
    void* p = nullptr;
    if (posix_memalign(&p, align, n ? n : 1) != 0) return nullptr;
    return p;
}

// Out of line, so GCC does not pair an inlined `delete` with `free` and warn (-Wmismatched-new-delete):
// every operator new here does get its memory from malloc/posix_memalign.
[[gnu::noinline]] void release(void* p) noexcept { std::free(p); }

void* or_throw(void* p) {
    if (!p) throw std::bad_alloc();
    return p;
}

}  // namespace

void* operator new(std::size_t n) { return or_throw(plain_alloc(n)); }
void* operator new[](std::size_t n) { return or_throw(plain_alloc(n)); }
void* operator new(std::size_t n, const std::nothrow_t&) noexcept { return plain_alloc(n); }
void* operator new[](std::size_t n, const std::nothrow_t&) noexcept { return plain_alloc(n); }
void* operator new(std::size_t n, std::align_val_t a) { return or_throw(aligned_alloc_(n, a)); }
void* operator new[](std::size_t n, std::align_val_t a) { return or_throw(aligned_alloc_(n, a)); }
void* operator new(std::size_t n, std::align_val_t a, const std::nothrow_t&) noexcept { return aligned_alloc_(n, a); }
void* operator new[](std::size_t n, std::align_val_t a, const std::nothrow_t&) noexcept { return aligned_alloc_(n, a); }

void operator delete(void* p) noexcept { release(p); }
void operator delete[](void* p) noexcept { release(p); }
void operator delete(void* p, std::size_t) noexcept { release(p); }
void operator delete[](void* p, std::size_t) noexcept { release(p); }
void operator delete(void* p, const std::nothrow_t&) noexcept { release(p); }
void operator delete[](void* p, const std::nothrow_t&) noexcept { release(p); }
void operator delete(void* p, std::align_val_t) noexcept { release(p); }
void operator delete[](void* p, std::align_val_t) noexcept { release(p); }
void operator delete(void* p, std::size_t, std::align_val_t) noexcept { release(p); }
void operator delete[](void* p, std::size_t, std::align_val_t) noexcept { release(p); }
void operator delete(void* p, std::align_val_t, const std::nothrow_t&) noexcept { release(p); }
void operator delete[](void* p, std::align_val_t, const std::nothrow_t&) noexcept { release(p); }

namespace {

using namespace wakerbench;
using test::drop;

constexpr std::uint64_t kWarmup = 1000;
constexpr std::uint64_t kRounds = 10000;

struct Window {
    std::size_t allocs = 0;
    std::size_t bytes = 0;
    std::uint64_t waits = 0;         // over both channels
    std::uint64_t ponger_waits = 0;  // on A: the ponger blocking in recv
    std::uint64_t bad = 0;           // replies that were not request + 1
};

void start_counting() {
    g_allocs.store(0);
    g_bytes.store(0);
    g_counting.store(true);
}
void stop_counting(Window& w) {
    g_counting.store(false);
    w.allocs = g_allocs.load();
    w.bytes = g_bytes.load();
}

template <class Row>
class AllocTest : public ::testing::Test {
protected:
    static constexpr std::string_view kName = Row::info.name;
    static constexpr bool kAllocates = kName == "vec";

    void report(const char* mode, const Window& w) {
        const double per_round = static_cast<double>(w.allocs) / kRounds;
        std::printf("[ alloc ] %-14s %-22s %8zu allocs / %zu round trips = %.3f allocs/round trip, %.1f bytes/round trip, %.2f waits/round trip\n",
                    kName.data(), mode, w.allocs, static_cast<std::size_t>(kRounds), per_round,
                    static_cast<double>(w.bytes) / kRounds, static_cast<double>(w.waits) / kRounds);
        RecordProperty(std::string(mode) + "_allocs_per_round_trip", std::to_string(per_round));
        RecordProperty(std::string(mode) + "_waits_per_round_trip", std::to_string(static_cast<double>(w.waits) / kRounds));
        EXPECT_EQ(w.bad, 0u);
    }

    void expect_allocs(const Window& w) {
        if (kAllocates) {
            EXPECT_GE(w.allocs, kRounds) << kName << " should re-grow its vector every round trip";
        } else {
            EXPECT_EQ(w.allocs, 0u) << kName << " allocated in the steady state";
        }
    }
};
TYPED_TEST_SUITE(AllocTest, wakerbench::test::AllRows, wakerbench::test::RowName);

template <class Tx, class Rx>
std::uint64_t waits_of(const Tx& a, const Rx& b) {
    return a.channel().stats().waits + b.channel().stats().waits;
}

// The main thread's side of the threaded modes: per round, wait until the ponger is blocked in
// recv on A (A's wait count went up: nobody else waits on A), ping, then wait for the answer on B.
template <class ATx, class BRx>
Window drive_pinger(ATx& a_tx, BRx& b_rx) {
    Window w;
    std::uint64_t ponger_blocked = 0;  // A's wait count as last seen
    auto wait_until_ponger_blocked = [&] {
        std::uint64_t n;
        while ((n = a_tx.channel().stats().waits) == ponger_blocked) std::this_thread::yield();
        ponger_blocked = n;
    };
    auto ping = [&](std::uint64_t i) {
        (void)a_tx.send(std::uint64_t{i});
        auto r = b_rx.recv();
        if (!r || *r != i + 1) ++w.bad;
    };
    for (std::uint64_t i = 0; i < kWarmup; ++i) {
        wait_until_ponger_blocked();
        ping(i);
    }
    wait_until_ponger_blocked();
    const std::uint64_t a0 = ponger_blocked;
    const std::uint64_t waits0 = waits_of(a_tx, b_rx);
    start_counting();
    for (std::uint64_t i = kWarmup; i < kWarmup + kRounds; ++i) {
        ping(i);
        wait_until_ponger_blocked();
    }
    stop_counting(w);
    w.waits = waits_of(a_tx, b_rx) - waits0;
    w.ponger_waits = ponger_blocked - a0;
    return w;
}

// Two threads: the main thread pings on A and waits on B; the ponger answers each ping + 1.
TYPED_TEST(AllocTest, SyncPingPong) {
    auto [a_tx, a_rx] = make_channel<TypeParam, std::uint64_t>(1);
    auto [b_tx, b_rx] = make_channel<TypeParam, std::uint64_t>(1);
    std::thread ponger([a_rx = std::move(a_rx), b_tx = std::move(b_tx)]() mutable {
        while (auto v = a_rx.recv()) {
            if (!b_tx.send(*v + 1).sent()) return;
        }
    });
    const Window w = drive_pinger(a_tx, b_rx);
    drop(a_tx);
    ponger.join();

    this->report("sync", w);
    this->expect_allocs(w);
    // The ponger blocked in recv exactly once per round trip: the waiting path ran every time.
    EXPECT_EQ(w.ponger_waits, kRounds);
}

template <class ATx, class ARx>
rt::Task<Window> async_pinger(ATx a_tx, ARx b_rx) {
    Window w;
    std::uint64_t waits0 = 0;
    for (std::uint64_t i = 0; i < kWarmup + kRounds; ++i) {
        if (i == kWarmup) {
            waits0 = waits_of(a_tx, b_rx);
            start_counting();
        }
        (void)co_await a_tx.send(std::uint64_t{i});
        auto r = co_await b_rx.recv();
        if (!r || *r != i + 1) ++w.bad;
    }
    stop_counting(w);
    w.waits = waits_of(a_tx, b_rx) - waits0;
    co_return w;
}

template <class ARx, class ATx>
rt::Task<void> async_ponger(ARx a_rx, ATx b_tx) {
    while (auto v = co_await a_rx.recv()) {
        auto r = co_await b_tx.send(*v + 1);
        if (!r.sent()) break;
    }
}

// Two coroutines on one RunLoop thread: deterministic, each suspends exactly once per round trip.
TYPED_TEST(AllocTest, AsyncPingPongRunLoop) {
    auto [a_tx, a_rx] = make_channel<TypeParam, std::uint64_t>(1);
    auto [b_tx, b_rx] = make_channel<TypeParam, std::uint64_t>(1);
    rt::RunLoop loop;
    auto ponger = rt::spawn(loop, async_ponger(a_rx.async(), b_tx.async()));
    auto pinger = rt::spawn(loop, async_pinger(a_tx.async(), b_rx.async()));
    drop(a_rx);
    drop(b_tx);
    loop.run_until_idle();
    ASSERT_TRUE(pinger.done());
    const Window w = pinger.get();
    drop(a_tx);
    pinger = {};  // releases the pinger's sender on A: the ponger sees the close
    loop.run_until_idle();
    EXPECT_TRUE(ponger.done());

    this->report("async-runloop", w);
    this->expect_allocs(w);
    EXPECT_EQ(w.waits, 2 * kRounds);  // pinger on B, ponger on A, once each per round trip
}

// A coroutine ponger on a two-thread pool against a sync pinger on the main thread.
TYPED_TEST(AllocTest, AsyncPongerOnThreadPoolAgainstSyncPinger) {
    auto [a_tx, a_rx] = make_channel<TypeParam, std::uint64_t>(1);
    auto [b_tx, b_rx] = make_channel<TypeParam, std::uint64_t>(1);
    rt::ThreadPool pool(2);
    auto ponger = rt::spawn(pool, async_ponger(a_rx.async(), b_tx.async()));
    drop(a_rx);
    drop(b_tx);
    const Window w = drive_pinger(a_tx, b_rx);
    drop(a_tx);
    ponger.wait();

    this->report("async-pool-vs-sync", w);
    this->expect_allocs(w);
    EXPECT_EQ(w.ponger_waits, kRounds);  // the coroutine suspended in recv once per round trip
}

}  // namespace
