// The wait-list microbenchmarks' driver (bench/waitlist/): every operation keeps its starting state
// (so a timed loop repeats the same work), wakes whom the strategy's policy says, and allocates
// what the strategy's design says: `vec` re-grows its vector after every take; `intrusive` and the
// event count never allocate.

#include <gtest/gtest.h>

#include <cstdint>

#include "alloc_tracer.hpp"
#include "waitlist/driver.hpp"
#include "waitlist/strategies.hpp"
#include "wakerbench/waitlist/intrusive.hpp"
#include "wakerbench/waitlist/slab.hpp"
#include "wakerbench/waitlist/vec.hpp"
#include "wakerbench/waitlist/vec_reuse.hpp"

namespace wakerbench::bench::waitlist {
namespace {

constexpr std::size_t kOps = 1000;

struct Figures {
    double allocs_per_op = 0;
    double wakes_per_op = 0;
};

template <class Strategy>
Figures run(Op op, std::size_t n) {
    Driver<Strategy> d(op, n);
    d.warm_up();
    const std::uint64_t wakes = d.wakes();
    const alloc::AllocCounts before = alloc::alloc_totals();
    for (std::size_t i = 0; i < kOps; ++i) d.run_once();
    const alloc::AllocCounts after = alloc::alloc_totals();
    return {double(after.allocs - before.allocs) / kOps, double(d.wakes() - wakes) / kOps};
}

using Vec = ListStrategy<VecWaitList<StdSync>>;
using VecReuse = ListStrategy<VecReuseWaitList<StdSync>>;
using Slab = ListStrategy<SlabWaitList<StdSync>>;
using Intrusive = ListStrategy<IntrusiveWaitList<StdSync>>;

TEST(WaitListBench, VecAllocatesIntrusiveDoesNot) {
    EXPECT_GT(run<Vec>(Op::link_take_wake, 16).allocs_per_op, 0) << "vec re-grows the vector a take left empty";
    EXPECT_EQ(run<Intrusive>(Op::link_take_wake, 16).allocs_per_op, 0);
    EXPECT_EQ(run<EventCountStrategy>(Op::link_take_wake, 16).allocs_per_op, 0);
    EXPECT_EQ(run<VecReuse>(Op::link_take_wake, 16).allocs_per_op, 0) << "after warm-up the pooled spare is reused";
    EXPECT_GT(run<Vec>(Op::wake_all, 16).allocs_per_op, 0);
    EXPECT_EQ(run<Intrusive>(Op::wake_all, 4096).allocs_per_op, 0);
}

TEST(WaitListBench, NothingAllocatesOnCancelOnceWarm) {
    for (Op op : {Op::link_cancel_front, Op::link_cancel_middle, Op::link_cancel_back}) {
        EXPECT_EQ(run<Vec>(op, 256).allocs_per_op, 0) << name_of(op);
        EXPECT_EQ(run<Slab>(op, 256).allocs_per_op, 0) << name_of(op) << ": the FIFO has reached its high-water mark";
        EXPECT_EQ(run<Intrusive>(op, 256).allocs_per_op, 0) << name_of(op);
        EXPECT_EQ(run<EventCountStrategy>(op, 256).wakes_per_op, 0) << name_of(op) << ": a cancel wakes nobody";
    }
}

TEST(WaitListBench, WakeOneWakesOneAndWakeAllWakesEveryone) {
    EXPECT_EQ(run<Intrusive>(Op::link_take_wake, 256).wakes_per_op, 1);
    EXPECT_EQ(run<Slab>(Op::link_take_wake, 256).wakes_per_op, 1);
    EXPECT_EQ(run<EventCountStrategy>(Op::link_take_wake, 256).wakes_per_op, 1);
    EXPECT_EQ(run<Vec>(Op::link_take_wake, 256).wakes_per_op, 257) << "a wake-all list takes all N+1";
    for (std::size_t n : {std::size_t{1}, std::size_t{33}, std::size_t{4096}}) {  // 33: one more than a batch
        EXPECT_EQ(run<Intrusive>(Op::wake_all, n).wakes_per_op, double(n));
        EXPECT_EQ(run<Slab>(Op::wake_all, n).wakes_per_op, double(n));
        EXPECT_EQ(run<EventCountStrategy>(Op::wake_all, n).wakes_per_op, double(n));
        EXPECT_EQ(run<VecReuse>(Op::wake_all, n).wakes_per_op, double(n));
    }
}

}  // namespace
}  // namespace wakerbench::bench::waitlist
