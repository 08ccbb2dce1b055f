// Steady-state figures through the benchmark harness itself (the rigs that wb_bench runs).
//   - On a capacity-1 spsc channel both parties block over and over, and after warm-up `intrusive`
//     must not allocate at all, in sync and in async mode, while `vec` re-grows its vector after
//     every take.
//   - The pool workloads: tasks and fanout wait on every round, and `intrusive` allocates nothing.
//   - churn is deterministic (one thread), so its counts are exact: a wake-one list wakes one
//     listener per item and a wake-all list every one; the churner withdraws every one of its
//     waits, kChurnCyclesPerSend per item.

#include <gtest/gtest.h>

#include <cstdint>

#include "churn_rig.hpp"
#include "fanout_rig.hpp"
#include "rig.hpp"
#include "tasks_rig.hpp"
#include "wakerbench/registry.hpp"

namespace wakerbench::bench {
namespace {

constexpr std::size_t kRounds = 5;
constexpr std::size_t kPool = 2;

template <class Rig>
PerMessage steady_state(const Spec& spec, std::size_t rounds = kRounds) {
    Rig rig(spec);  // runs the warm-up rounds
    const Marks before = rig.marks();
    for (std::size_t r = 0; r < rounds; ++r) rig.round();
    return per_message(before, rig.marks(), double(rounds * rig.round_messages()));
}

template <class Impl, Mode M>
PerMessage spsc_capacity_1() {
    return steady_state<Rig<Impl, std::uint64_t, M>>(Spec{{Family::spsc}, Impl::info.name, 1, 1, PayloadKind::u64, M});
}

TEST(SteadyState, IntrusiveSyncAllocatesNothing) {
    const PerMessage pm = spsc_capacity_1<rows::intrusive, Mode::sync>();
    EXPECT_GT(pm.waits, 0) << "nobody blocked: the run did not exercise the wait list";
    EXPECT_EQ(pm.allocs, 0);
}

TEST(SteadyState, IntrusiveAsyncAllocatesNothing) {
    const PerMessage pm = spsc_capacity_1<rows::intrusive, Mode::async>();
    EXPECT_GT(pm.waits, 0) << "nobody blocked: the run did not exercise the wait list";
    EXPECT_EQ(pm.allocs, 0);
}

TEST(SteadyState, VecSyncAllocates) {
    const PerMessage pm = spsc_capacity_1<rows::vec, Mode::sync>();
    EXPECT_GT(pm.waits, 0);
    EXPECT_GT(pm.allocs, 0);
}

TEST(SteadyState, VecAsyncAllocates) {
    const PerMessage pm = spsc_capacity_1<rows::vec, Mode::async>();
    EXPECT_GT(pm.waits, 0);
    EXPECT_GT(pm.allocs, 0);
}

// The key sums catch a lost or duplicated item: a Rig whose tallies disagree dies in its destructor.
TEST(SteadyState, EveryItemArrivesOnceAcrossWorkloads) {
    for (const Workload& w : thread_workloads(Machine{.cpus = 2}))
        for (std::size_t batch : kBatches) {
            const Spec spec{w, rows::slab::info.name, 1024, batch, PayloadKind::u64, Mode::async};
            Rig<rows::slab, std::uint64_t, Mode::async> rig(spec);
            rig.round();
        }
}

template <class Impl>
PerMessage tasks(std::size_t m, std::size_t capacity, std::size_t batch) {
    return steady_state<TasksRig<Impl, std::uint64_t, Mode::async>>(
        Spec{{Family::tasks, m}, Impl::info.name, capacity, batch, PayloadKind::u64, Mode::async, kPool});
}

TEST(SteadyState, TasksWaitAndIntrusiveAllocatesNothing) {
    for (std::size_t m : kTaskCounts)
        for (std::size_t batch : kTaskBatches) {
            const PerMessage pm = tasks<rows::intrusive>(m, 1, batch);
            EXPECT_GT(pm.waits, 0.5) << "M " << m << ", batch " << batch << ": at capacity 1 most messages wait";
            EXPECT_EQ(pm.allocs, 0) << "M " << m << ", batch " << batch;
        }
}

TEST(SteadyState, TasksVecAllocates) {
    const PerMessage pm = tasks<rows::vec>(16, 1, 1);
    EXPECT_GT(pm.waits, 0);
    EXPECT_GT(pm.allocs, 0);
}

TEST(SteadyState, TasksEveryRowDeliversExactlyOnce) {  // the rigs die if an item is lost or doubled
    (void)tasks<rows::slab>(16, 16, 16);
    (void)tasks<rows::vec_reuse>(16, 16, 1);
    (void)tasks<rows::moodycamel>(16, 1, 16);
    (void)tasks<rows::boost_lockfree>(16, 16, 1);
}

template <class Impl>
PerMessage fanout(std::size_t k) {
    return steady_state<FanoutRig<Impl, std::uint64_t, Mode::async>>(
        Spec{{Family::fanout, k}, Impl::info.name, 0, 1, PayloadKind::u64, Mode::async, kPool}, 2);
}

TEST(SteadyState, FanoutReceiversWaitForEveryBurst) {
    const PerMessage pm = fanout<rows::intrusive>(64);
    EXPECT_GT(pm.waits, 0.5) << "the receivers should be suspended when each burst arrives";
    EXPECT_EQ(pm.allocs, 0);
    const PerMessage all = fanout<rows::vec>(64);
    // A burst of K/4 items wakes all K receivers: about 3 spurious wake-ups per item.
    EXPECT_GT(all.spurious, 1.0);
}

template <class Impl, Mode M>
PerMessage churn(std::size_t n) {
    return steady_state<ChurnRig<Impl, std::uint64_t, M>>(Spec{{Family::churn, n}, Impl::info.name, 0, 1, PayloadKind::u64, M});
}

TEST(SteadyState, ChurnWithdrawsEveryWaitAndWakesByPolicy) {
    constexpr double kPerItem = Spec::kChurnCyclesPerSend;
    for (Mode m : {Mode::sync, Mode::async}) {
        const PerMessage one = m == Mode::sync ? churn<rows::intrusive, Mode::sync>(16) : churn<rows::intrusive, Mode::async>(16);
        EXPECT_EQ(one.cancellations, kPerItem) << name_of(m);
        EXPECT_EQ(one.wakes, 1.0) << name_of(m) << ": a wake-one list wakes one listener per item";
        EXPECT_EQ(one.spurious, 0.0) << name_of(m);
        const PerMessage all = m == Mode::sync ? churn<rows::vec, Mode::sync>(16) : churn<rows::vec, Mode::async>(16);
        EXPECT_EQ(all.cancellations, kPerItem) << name_of(m);
        EXPECT_EQ(all.wakes, 15.0) << name_of(m) << ": a wake-all list wakes all 15 listeners per item";
        EXPECT_EQ(all.spurious, 14.0) << name_of(m);
    }
    EXPECT_EQ((churn<rows::intrusive, Mode::sync>(16).allocs), 0) << "a timed-out wait allocates nothing";
    EXPECT_EQ((churn<rows::moodycamel, Mode::sync>(1024).cancellations), kPerItem);
}

}  // namespace
}  // namespace wakerbench::bench
