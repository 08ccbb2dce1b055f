#pragma once
// Memory that stays behind: 1000 coroutines block in recv at once, are served, and then the channel
// runs with a single waiter. Reported: the heap each wait list still holds (capacity, not size)
// after the burst and after the quiet phase, and what the allocator says is in use, relative to
// before the channel was made (jemalloc: stats.allocated; glibc: mallinfo2), while the channel lives
// and after it is gone. Coroutines rather than threads: a thousand blocked parties is an async
// server's everyday burst, and the baselines that cannot park a coroutine keep no wait list of ours.

#include <benchmark/benchmark.h>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "allocator.hpp"
#include "counting.hpp"
#include "wakerbench/channel/handles.hpp"
#include "wakerbench/detail/die.hpp"
#include "wakerbench/runtime/run_loop.hpp"
#include "wakerbench/runtime/spawn.hpp"
#include "wakerbench/runtime/task.hpp"

namespace wakerbench::bench {

inline constexpr std::size_t kBurstWaiters = 1000;
inline constexpr std::size_t kQuietMessages = 10000;

inline std::string burst_name(std::string_view impl) {
    return "burst/" + std::string(impl) + "/waiters:" + std::to_string(kBurstWaiters) + "/mode:async";
}

template <class Rx>
rt::Task<void> receive(Rx rx, std::size_t n) {
    for (std::size_t i = 0; i < n; ++i)
        if (!co_await rx.recv()) detail::die("burst: a receive saw the channel closed");
}

// Signed difference of two allocator readings, in bytes.
inline double grew(std::optional<std::size_t> now, std::optional<std::size_t> before) {
    return double(*now) - double(*before);
}

// The burst and the quiet phase on one channel: 1000 waiters block, are served, and leave; then
// kQuietMessages messages with one waiter. Returns the wait lists' heap right after the burst.
template <class Tx, class Rx>
std::size_t burst_then_quiet(Tx& tx, Rx& rx, rt::RunLoop& loop) {
    auto& channel = tx.channel();
    std::vector<rt::JoinHandle<void>> waiters;
    waiters.reserve(kBurstWaiters);
    for (std::size_t i = 0; i < kBurstWaiters; ++i) waiters.push_back(rt::spawn(loop, receive(rx.async(), 1)));
    loop.run_until_idle();
    if (channel.stats().waits < kBurstWaiters) detail::die("burst: the waiters did not all block");
    for (std::uint64_t i = 0; i < kBurstWaiters; ++i)
        if (!tx.send(i)) detail::die("burst: a send failed");
    loop.run_until_idle();
    for (auto& w : waiters)
        if (!w.done()) detail::die("burst: a waiter was not served");
    waiters.clear();
    const std::size_t after_burst = channel.wait_list_bytes();

    auto quiet = rt::spawn(loop, receive(rx.async(), kQuietMessages));
    for (std::uint64_t i = 0; i < kQuietMessages; ++i) {
        loop.run_until_idle();  // the single waiter blocks again
        if (!tx.send(i)) detail::die("burst: a send failed");
    }
    loop.run_until_idle();
    quiet.get();
    return after_burst;
}

// The burst's benchmark: what the wait lists and the allocator hold after the burst and after the
// quiet phase.
template <class Impl>
void burst(benchmark::State& state) {
    for (auto _ : state) {
        const std::optional<std::size_t> before = alloc::allocator_bytes_in_use();
        if (!before) {
            state.SkipWithError("n/a: this allocator reports no bytes in use");
            return;
        }
        {
            auto [tx, rx] = make_channel<Impl, std::uint64_t>(unbounded);
            rt::RunLoop loop;  // one thread: the sends below run the waiters' wake-ups in a known order
            const std::size_t after_burst = burst_then_quiet(tx, rx, loop);
            auto& c = state.counters;
            c["waiters"] = double(kBurstWaiters);
            c["wait_list_bytes_after_burst"] = double(after_burst);
            c["wait_list_bytes_after_quiet"] = double(tx.channel().wait_list_bytes());
            c["allocator_in_use_bytes"] = grew(alloc::allocator_bytes_in_use(), before);
        }
        state.counters["allocator_in_use_bytes_after_drop"] = grew(alloc::allocator_bytes_in_use(), before);
    }
}

// The burst counted (wb_bench --count, bench/count/counting.hpp): the burst and the quiet phase in
// one region, per message delivered.
template <class Impl>
void register_counted_burst() {
    const std::string name = burst_name(Impl::info.name);
    register_counted(name, CountUnit::msg, kBurstWaiters + kQuietMessages, [name] {
        auto [tx, rx] = make_channel<Impl, std::uint64_t>(unbounded);
        rt::RunLoop loop;
        count_region(name, [&] { (void)burst_then_quiet(tx, rx, loop); });
    });
}

}  // namespace wakerbench::bench
