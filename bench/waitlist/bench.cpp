// waitlist/<strategy>/op:<op>/waiters:<N>: every wait-list strategy of the registry's mutex rows,
// and the lock-free rows' event count, driven directly on one thread (driver.hpp). Reported per
// operation: ns_per_op, allocs_per_op and bytes_per_op (every allocation of the timed loop, after
// warm-up), wakes_per_op, and list_heap_bytes, the heap the strategy still holds afterwards.

#include <benchmark/benchmark.h>

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

#include "alloc_tracer.hpp"
#include "driver.hpp"
#include "families.hpp"
#include "strategies.hpp"
#include "wakerbench/registry.hpp"

namespace wakerbench::bench {
namespace {

using namespace waitlist;

template <class Strategy>
void measure_op(benchmark::State& state, Op op, std::size_t n) {
    Driver<Strategy> driver(op, n);
    for (std::size_t i = 0; i < driver.warmup_operations(); ++i) driver.run_once();
    const std::uint64_t wakes_before = driver.wakes();
    const alloc::AllocCounts allocs_before = alloc::alloc_totals();
    const auto t0 = std::chrono::steady_clock::now();
    for (auto _ : state) driver.run_once();
    const auto t1 = std::chrono::steady_clock::now();
    const alloc::AllocCounts allocs = alloc::alloc_totals() - allocs_before;

    const double ops = double(state.iterations());
    const double ns = std::chrono::duration<double, std::nano>(t1 - t0).count();
    auto& c = state.counters;
    c["ns_per_op"] = ns / ops;
    c["allocs_per_op"] = double(allocs.allocs) / ops;
    c["bytes_per_op"] = double(allocs.bytes) / ops;
    c["wakes_per_op"] = double(driver.wakes() - wakes_before) / ops;
    c["list_heap_bytes"] = double(driver.heap_bytes());
    c["waiters"] = double(n);
    if (op == Op::wake_all) c["ns_per_waiter"] = ns / ops / double(n);
}

template <class Strategy>
void register_strategy(std::string_view name) {
    for (Op op : kOps)
        for (std::size_t n : kWaiterCounts) {
            const std::string bench = "waitlist/" + std::string(name) + "/op:" + std::string(name_of(op)) + "/waiters:" + std::to_string(n);
            benchmark::RegisterBenchmark(bench.c_str(), [op, n](benchmark::State& s) { measure_op<Strategy>(s, op, n); })->UseRealTime();
        }
}

// A mutex row contributes its wait list; the lock-free rows all wait in the same event count,
// registered once after them.
template <class Impl>
void register_row() {
    using Channel = typename Impl::template channel<std::uint64_t>;
    if constexpr (requires { typename Channel::wait_list; }) register_strategy<ListStrategy<typename Channel::wait_list>>(Impl::info.name);
}

template <class... Impls>
struct RegisterAll {
    static void run() { (register_row<Impls>(), ...); }
};

}  // namespace

void register_waitlists() {
    Rows::apply<RegisterAll>::run();
    register_strategy<EventCountStrategy>(EventCountStrategy::kName);
}

}  // namespace wakerbench::bench
