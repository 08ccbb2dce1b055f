// Steady-state allocations through the benchmark harness itself (the Rig that wb_bench runs): on a
// capacity-1 spsc channel both parties block over and over, and after warm-up `intrusive` must not
// allocate at all, in sync and in async mode, while `vec` re-grows its vector after every take.

#include <gtest/gtest.h>

#include <cstdint>

#include "rig.hpp"
#include "wakerbench/registry.hpp"

namespace wakerbench::bench {
namespace {

constexpr std::size_t kRounds = 5;

template <class Impl, Mode M>
PerMessage steady_state() {
    const Spec spec{Workload::spsc, Impl::info.name, 1, 1, PayloadKind::u64, M};
    Rig<Impl, std::uint64_t, M> rig(spec);  // runs the warm-up rounds
    const Marks before = rig.marks();
    for (std::size_t r = 0; r < kRounds; ++r) rig.round();
    return per_message(before, rig.marks(), double(kRounds * rig.round_messages()));
}

TEST(SteadyState, IntrusiveSyncAllocatesNothing) {
    const PerMessage pm = steady_state<rows::intrusive, Mode::sync>();
    EXPECT_GT(pm.waits, 0) << "nobody blocked: the run did not exercise the wait list";
    EXPECT_EQ(pm.allocs, 0);
}

TEST(SteadyState, IntrusiveAsyncAllocatesNothing) {
    const PerMessage pm = steady_state<rows::intrusive, Mode::async>();
    EXPECT_GT(pm.waits, 0) << "nobody blocked: the run did not exercise the wait list";
    EXPECT_EQ(pm.allocs, 0);
}

TEST(SteadyState, VecSyncAllocates) {
    const PerMessage pm = steady_state<rows::vec, Mode::sync>();
    EXPECT_GT(pm.waits, 0);
    EXPECT_GT(pm.allocs, 0);
}

TEST(SteadyState, VecAsyncAllocates) {
    const PerMessage pm = steady_state<rows::vec, Mode::async>();
    EXPECT_GT(pm.waits, 0);
    EXPECT_GT(pm.allocs, 0);
}

// The key sums catch a lost or duplicated item: a Rig whose tallies disagree dies in its destructor.
TEST(SteadyState, EveryItemArrivesOnceAcrossWorkloads) {
    for (Workload w : kWorkloads)
        for (std::size_t batch : kBatches) {
            const Spec spec{w, rows::slab::info.name, 1024, batch, PayloadKind::u64, Mode::async};
            Rig<rows::slab, std::uint64_t, Mode::async> rig(spec);
            rig.round();
        }
}

}  // namespace
}  // namespace wakerbench::bench
