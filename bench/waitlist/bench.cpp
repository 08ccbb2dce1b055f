// waitlist/<strategy>/op:<op>/waiters:<N>: every wait-list strategy of the registry's mutex rows,
// and the lock-free rows' event count, driven directly on one thread (driver.hpp). Reported per
// operation: ns_per_op (the median of the timed loop's epochs; ns_per_op_mean beside it),
// allocs_per_op and bytes_per_op (every allocation of the timed loop, after warm-up),
// wakes_per_op, and list_heap_bytes, the heap the strategy still holds afterwards.

#include <benchmark/benchmark.h>

#include <algorithm>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "alloc_tracer.hpp"
#include "counting.hpp"
#include "driver.hpp"
#include "families.hpp"
#include "progress.hpp"
#include "strategies.hpp"
#include "wakerbench/registry.hpp"

namespace wakerbench::bench {
namespace {

using namespace waitlist;

// A repetition's timed loop is cut into this many epochs, and ns_per_op is the median epoch's
// (as nanobench does): the VM taking the CPU away for a few milliseconds spoils one or two epochs,
// not the figure. ns_per_op_mean is the whole loop's mean, for comparison.
inline constexpr std::int64_t kEpochs = 15;

template <class Strategy>
void measure_op(benchmark::State& state, Op op, std::size_t n) {
    Driver<Strategy> driver(op, n);
    driver.warm_up();
    const std::uint64_t wakes_before = driver.wakes();
    const std::int64_t per_epoch = std::max<std::int64_t>(1, state.max_iterations / kEpochs);
    std::vector<double> epoch_ns;  // per operation, one per finished epoch
    epoch_ns.reserve(std::size_t(state.max_iterations / per_epoch) + 1);
    const alloc::AllocCounts allocs_before = alloc::alloc_totals();  // the vector above is outside the marks
    const auto t0 = std::chrono::steady_clock::now();
    auto epoch_start = t0;
    std::int64_t in_epoch = 0;
    for (auto _ : state) {
        driver.run_once();
        if (++in_epoch == per_epoch) {
            const auto now = std::chrono::steady_clock::now();
            epoch_ns.push_back(std::chrono::duration<double, std::nano>(now - epoch_start).count() / double(per_epoch));
            epoch_start = now;
            in_epoch = 0;
        }
    }
    const auto t1 = std::chrono::steady_clock::now();
    const alloc::AllocCounts allocs = alloc::alloc_totals() - allocs_before;

    const double ops = double(state.iterations());
    const double mean_ns = std::chrono::duration<double, std::nano>(t1 - t0).count() / ops;
    std::nth_element(epoch_ns.begin(), epoch_ns.begin() + std::ptrdiff_t(epoch_ns.size() / 2), epoch_ns.end());
    auto& c = state.counters;
    c["ns_per_op"] = epoch_ns.empty() ? mean_ns : epoch_ns[epoch_ns.size() / 2];
    c["ns_per_op_mean"] = mean_ns;
    c["epochs"] = double(epoch_ns.size());
    c["allocs_per_op"] = double(allocs.allocs) / ops;
    c["bytes_per_op"] = double(allocs.bytes) / ops;
    c["wakes_per_op"] = double(driver.wakes() - wakes_before) / ops;
    c["list_heap_bytes"] = double(driver.heap_bytes());
    c["waiters"] = double(n);
    if (op == Op::wake_all) c["ns_per_waiter"] = c["ns_per_op"] / double(n);
}

// Operations inside a counted region (wb_bench --count): as many as the warm-up runs, and at least
// 1024, so the periodic work of a strategy (the slab compacting its stale tickets, a vector growing
// back) is in the count in its steady-state share; wake_all links and wakes N per operation, so it
// needs fewer.
constexpr std::uint64_t counted_ops(Op op, std::size_t n) {
    if (op == Op::wake_all) return std::max<std::uint64_t>(8, 1024 / n);
    return std::max<std::uint64_t>(1024, warm_up_ops(op, n));
}

// The counted work: the same driver, warmed up the same way, its operations inside one region.
template <class Strategy>
void register_counted_op(const std::string& bench, Op op, std::size_t n) {
    const std::uint64_t ops = counted_ops(op, n);
    register_counted(bench, CountUnit::op, ops, [bench, op, n, ops] {
        Driver<Strategy> driver(op, n);
        driver.warm_up();
        count_region(bench, [&driver, ops] {
            for (std::uint64_t i = 0; i < ops; ++i) driver.run_once();
        });
    });
}

// One benchmark: strategy x operation x N, timed, or counted under wb_bench --count.
template <class Strategy>
void register_one(std::string_view name, Op op, std::size_t n) {
    const std::string bench = "waitlist/" + std::string(name) + "/op:" + std::string(name_of(op)) + "/waiters:" + std::to_string(n);
    if (counting()) {
        register_counted_op<Strategy>(bench, op, n);
        return;
    }
    with_progress(benchmark::RegisterBenchmark(bench.c_str(), [op, n](benchmark::State& s) { measure_op<Strategy>(s, op, n); }))->UseRealTime();
}

// A mutex row contributes its wait list (a new row gets its microbenchmarks without a line here);
// the lock-free rows all wait in the same event count, registered once after them.
template <class Impl>
void register_row(Op op, std::size_t n) {
    using Channel = typename Impl::template channel<std::uint64_t>;
    if constexpr (requires { typename Channel::wait_list; }) register_one<ListStrategy<typename Channel::wait_list>>(Impl::info.name, op, n);
}

// Operation by operation, N by N, every strategy within each: the strategies a table compares run
// one after another, minutes apart from nothing (this VM's speed drifts by tens of percent over
// minutes, so neighbours in time compare best).
template <class... Impls>
struct RegisterAll {
    static void run() {
        for (Op op : kOps)
            for (std::size_t n : kWaiterCounts) {
                (register_row<Impls>(op, n), ...);
                register_one<EventCountStrategy>(EventCountStrategy::kName, op, n);
            }
    }
};

}  // namespace

void register_waitlists() { Rows::apply<RegisterAll>::run(); }

}  // namespace wakerbench::bench
