// Wait lists by themselves (no channel around them): who a take hands over, in which order, what a
// mark keeps out, what unlink reports, and the aborts on misuse. Also the Waker handle itself and
// the ThreadParker that blocked threads sleep on.

#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <memory>
#include <numeric>
#include <thread>
#include <type_traits>
#include <vector>

#include "rows.hpp"
#include "watchdog.hpp"
#include "wakerbench/sync/parker.hpp"
#include "wakerbench/waker.hpp"

namespace wakerbench::test {
namespace {

constexpr std::size_t kAll = std::numeric_limits<std::size_t>::max();

// ---- a counting waker ---------------------------------------------------------------------------

// One per waiter: counts how often its Waker was woken or dropped, and appends its id to a shared
// log on wake, so a test sees exactly who was woken and in which order.
struct Probe {
    int id = -1;
    std::vector<int>* log = nullptr;
    int wakes = 0;
    int drops = 0;

    static void on_wake(void* p) noexcept {
        auto* self = static_cast<Probe*>(p);
        ++self->wakes;
        if (self->log) self->log->push_back(self->id);
    }
    static void on_drop(void* p) noexcept { ++static_cast<Probe*>(p)->drops; }
    static constexpr WakerVTable kVTable{&on_wake, &on_drop};

    Waker waker() noexcept { return Waker(this, &kVTable); }
};

std::vector<int> iota(int from, int to) {  // [from, to)
    std::vector<int> v(static_cast<std::size_t>(to - from));
    std::iota(v.begin(), v.end(), from);
    return v;
}

std::vector<int> sorted(std::vector<int> v) {
    std::sort(v.begin(), v.end());
    return v;
}

// A list with n waiters' worth of slots and probes. Destruction unlinks every slot first (unlink
// is idempotent: false once settled), so a failing EXPECT never turns into an abort at scope end.
// Declare Batches after the Harness: a batch still holding wakers drops them into these probes,
// and a vec_reuse batch hands its vector back to the list.
template <class L>
struct Harness {
    explicit Harness(std::size_t n) : probes(n), slots(new typename L::Slot[n]), count(n) {
        for (std::size_t i = 0; i < n; ++i) {
            probes[i].id = static_cast<int>(i);
            probes[i].log = &log;
        }
    }
    Harness(const Harness&) = delete;
    Harness& operator=(const Harness&) = delete;
    ~Harness() {
        for (std::size_t i = 0; i < count; ++i) list.unlink(slots[i]);
    }

    void link(std::size_t i) { list.link(slots[i], probes[i].waker()); }
    void link_range(std::size_t from, std::size_t to) {
        for (std::size_t i = from; i < to; ++i) link(i);
    }
    bool unlink(std::size_t i) { return list.unlink(slots[i]); }

    int total_wakes() const {
        int n = 0;
        for (const auto& p : probes) n += p.wakes;
        return n;
    }
    int total_drops() const {
        int n = 0;
        for (const auto& p : probes) n += p.drops;
        return n;
    }

    std::vector<int> log;
    std::vector<Probe> probes;
    L list;  // after the probes (wakers it holds point at them), before the slots
    std::unique_ptr<typename L::Slot[]> slots;
    std::size_t count;
};

template <class L>
constexpr bool kWakeOne = L::kWakePolicy == WakePolicy::one;

// ---- every list ---------------------------------------------------------------------------------

template <class L>
class WaitListTest : public ::testing::Test {};
TYPED_TEST_SUITE(WaitListTest, AllLists, ListName);

TYPED_TEST(WaitListTest, PolicyMatchesName) {
    using L = TypeParam;
    const std::string name = L::kName;
    const bool wake_all = name == "vec" || name == "vec_reuse";
    EXPECT_EQ(L::kWakePolicy, wake_all ? WakePolicy::all : WakePolicy::one);
}

TYPED_TEST(WaitListTest, FreshListIsEmptyAndTakesNothing) {
    using L = TypeParam;
    Harness<L> h(0);
    typename L::Batch batch;
    EXPECT_TRUE(h.list.empty());
    EXPECT_EQ(h.list.take(kAll, batch, h.list.mark()), 0u);
    EXPECT_FALSE(batch.full());
    batch.wake_all();
}

// 1. take(1) wakes the oldest waiter (wake-one) or everyone (wake-all); unlink of a taken slot is
// false and wakes nothing; unlink of a still-linked slot is true and drops its waker unwoken.
TYPED_TEST(WaitListTest, TakeOneThenUnlink) {
    using L = TypeParam;
    Harness<L> h(4);
    h.link_range(0, 3);
    EXPECT_FALSE(h.list.empty());

    {
        typename L::Batch batch;
        const std::size_t taken = h.list.take(1, batch, h.list.mark());
        // Taking moves wakers; nothing runs until wake_all (the channel calls it unlocked).
        EXPECT_EQ(h.total_wakes(), 0);
        EXPECT_EQ(h.total_drops(), 0);
        batch.wake_all();
        if constexpr (kWakeOne<L>) {
            EXPECT_EQ(taken, 1u);
            EXPECT_EQ(h.log, std::vector<int>({0}));
        } else {
            EXPECT_EQ(taken, 3u);
            EXPECT_EQ(sorted(h.log), std::vector<int>({0, 1, 2}));
            EXPECT_TRUE(h.list.empty());
        }
    }
    EXPECT_EQ(h.probes[0].wakes, 1);
    EXPECT_EQ(h.probes[0].drops, 0);

    // Slot 0 was taken: unlink reports it, and touches nothing.
    EXPECT_FALSE(h.unlink(0));
    EXPECT_EQ(h.probes[0].wakes, 1);
    EXPECT_EQ(h.probes[0].drops, 0);

    if constexpr (kWakeOne<L>) {
        EXPECT_TRUE(h.unlink(1));
        EXPECT_EQ(h.probes[1].wakes, 0);
        EXPECT_EQ(h.probes[1].drops, 1);
        EXPECT_FALSE(h.unlink(1));  // settled: a second unlink is a no-op
        EXPECT_EQ(h.probes[1].drops, 1);
        EXPECT_FALSE(h.list.empty());  // slot 2 is still there
        EXPECT_TRUE(h.unlink(2));
        EXPECT_EQ(h.probes[2].drops, 1);
    } else {
        EXPECT_FALSE(h.unlink(1));
        EXPECT_FALSE(h.unlink(2));
        EXPECT_EQ(h.probes[1].drops + h.probes[2].drops, 0);
        EXPECT_EQ(h.probes[1].wakes + h.probes[2].wakes, 2);
    }

    // A slot linked after the take is still linked: unlink removes it and drops its waker.
    h.link(3);
    EXPECT_FALSE(h.list.empty());
    EXPECT_TRUE(h.unlink(3));
    EXPECT_EQ(h.probes[3].wakes, 0);
    EXPECT_EQ(h.probes[3].drops, 1);
    EXPECT_TRUE(h.list.empty());
    EXPECT_EQ(h.total_wakes(), kWakeOne<L> ? 1 : 3);
}

// A batch destroyed without wake_all drops what it holds: every waker is consumed exactly once.
TYPED_TEST(WaitListTest, BatchDestroyedUnwokenDropsItsWakers) {
    using L = TypeParam;
    Harness<L> h(2);
    h.link_range(0, 2);
    {
        typename L::Batch batch;
        EXPECT_EQ(h.list.take(kAll, batch, h.list.mark()), 2u);
    }
    EXPECT_EQ(h.total_wakes(), 0);
    EXPECT_EQ(h.probes[0].drops, 1);
    EXPECT_EQ(h.probes[1].drops, 1);
    EXPECT_FALSE(h.unlink(0));
    EXPECT_FALSE(h.unlink(1));
    EXPECT_TRUE(h.list.empty());
}

// 2. The mark: a take never hands over a waiter linked after the mark was read (the rule that lets
// a close wake "everyone who was waiting" in bounded rounds without chasing newcomers). Wake-one
// lists hand over at most a batch (32) per take; wake-all lists take everyone at once.
TYPED_TEST(WaitListTest, MarkKeepsOutLaterWaitersAcrossFullBatches) {
    using L = TypeParam;
    Harness<L> h(45);
    h.link_range(0, 40);
    const std::uint64_t mark = h.list.mark();
    h.link_range(40, 45);

    if constexpr (kWakeOne<L>) {
        typename L::Batch batch;
        EXPECT_EQ(h.list.take(kAll, batch, mark), 32u);
        EXPECT_TRUE(batch.full());
        batch.wake_all();
        EXPECT_EQ(h.log, iota(0, 32));

        EXPECT_FALSE(batch.full());
        EXPECT_EQ(h.list.take(kAll, batch, mark), 8u);
        EXPECT_FALSE(batch.full());
        batch.wake_all();
        EXPECT_EQ(h.log, iota(0, 40));

        EXPECT_EQ(h.list.take(kAll, batch, mark), 0u);  // the five later ones stay
        EXPECT_FALSE(h.list.empty());
        for (int i = 40; i < 45; ++i) EXPECT_EQ(h.probes[static_cast<std::size_t>(i)].wakes, 0) << i;

        // A fresh mark covers them, still in link order.
        EXPECT_EQ(h.list.take(kAll, batch, h.list.mark()), 5u);
        batch.wake_all();
        EXPECT_EQ(h.log, iota(0, 45));
        EXPECT_TRUE(h.list.empty());
    } else {
        // Wake-all: a take empties the list, mark or not (everyone in it was linked before the call).
        typename L::Batch batch;
        EXPECT_FALSE(batch.full());
        EXPECT_EQ(h.list.take(1, batch, mark), 45u);
        batch.wake_all();
        EXPECT_EQ(sorted(h.log), iota(0, 45));
        EXPECT_TRUE(h.list.empty());
    }
    for (std::size_t i = 0; i < 45; ++i) EXPECT_FALSE(h.unlink(i)) << i;
    EXPECT_EQ(h.total_wakes(), 45);
    EXPECT_EQ(h.total_drops(), 0);
}

// A mark read before anything was linked takes nothing (wake-one); a mark read on an empty list
// stays valid after unlinks.
TYPED_TEST(WaitListTest, MarkBeforeAnyLinkTakesNothing) {
    using L = TypeParam;
    Harness<L> h(3);
    const std::uint64_t early = h.list.mark();
    h.link_range(0, 3);
    typename L::Batch batch;
    if constexpr (kWakeOne<L>) {
        EXPECT_EQ(h.list.take(kAll, batch, early), 0u);
        EXPECT_TRUE(h.unlink(0));
        EXPECT_EQ(h.list.take(kAll, batch, early), 0u);
        EXPECT_EQ(h.list.take(kAll, batch, h.list.mark()), 2u);
        batch.wake_all();
        EXPECT_EQ(h.log, std::vector<int>({1, 2}));
    } else {
        EXPECT_EQ(h.list.take(kAll, batch, early), 3u);
        batch.wake_all();
        EXPECT_EQ(sorted(h.log), std::vector<int>({0, 1, 2}));
    }
}

// 3. Unlinking the head, a middle node and the tail leaves the rest to be taken: in link order for
// wake-one lists, all of them for wake-all lists; the unlinked ones are dropped, never woken.
TYPED_TEST(WaitListTest, UnlinkHeadMiddleTailKeepsTheRest) {
    using L = TypeParam;
    Harness<L> h(7);
    h.link_range(0, 7);
    EXPECT_TRUE(h.unlink(3));  // middle
    EXPECT_TRUE(h.unlink(0));  // head
    EXPECT_TRUE(h.unlink(6));  // tail
    EXPECT_TRUE(h.unlink(1));  // the new head
    EXPECT_TRUE(h.unlink(5));  // the new tail

    typename L::Batch batch;
    EXPECT_EQ(h.list.take(kAll, batch, h.list.mark()), 2u);
    batch.wake_all();
    if constexpr (kWakeOne<L>) {
        EXPECT_EQ(h.log, std::vector<int>({2, 4}));
    } else {
        EXPECT_EQ(sorted(h.log), std::vector<int>({2, 4}));
    }
    EXPECT_TRUE(h.list.empty());
    for (std::size_t i : {0u, 1u, 3u, 5u, 6u}) {
        EXPECT_EQ(h.probes[i].drops, 1) << i;
        EXPECT_EQ(h.probes[i].wakes, 0) << i;
    }
    EXPECT_FALSE(h.unlink(2));
    EXPECT_FALSE(h.unlink(4));
}

// Unlinking everything leaves a list that is empty and then works as new (re-link the same slots).
TYPED_TEST(WaitListTest, RelinkAfterUnlinkAll) {
    using L = TypeParam;
    Harness<L> h(3);
    for (int round = 0; round < 3; ++round) {
        h.link_range(0, 3);
        EXPECT_TRUE(h.unlink(1));
        EXPECT_TRUE(h.unlink(0));
        EXPECT_TRUE(h.unlink(2));
        EXPECT_TRUE(h.list.empty());
    }
    h.link(2);
    h.link(0);
    typename L::Batch batch;
    EXPECT_EQ(h.list.take(kAll, batch, h.list.mark()), 2u);
    batch.wake_all();
    if constexpr (kWakeOne<L>) {
        EXPECT_EQ(h.log, std::vector<int>({2, 0}));
    } else {
        EXPECT_EQ(sorted(h.log), std::vector<int>({0, 2}));
    }
    EXPECT_EQ(h.total_drops(), 9);
    EXPECT_EQ(h.total_wakes(), 2);
}

// Many link / take / wake / unlink cycles of varying size, the way a channel drives a list: every
// waker is consumed exactly once, by a wake.
TYPED_TEST(WaitListTest, RepeatedCyclesWakeEveryoneExactlyOnce) {
    using L = TypeParam;
    constexpr std::size_t kMax = 50;
    Harness<L> h(kMax);
    int expected = 0;
    for (std::size_t round = 0; round < 200; ++round) {
        const std::size_t n = 1 + (round * 7) % kMax;
        h.link_range(0, n);
        h.log.clear();
        typename L::Batch batch;
        for (std::size_t taken = 0; taken < n;) {
            const std::size_t t = h.list.take(kAll, batch, h.list.mark());
            ASSERT_GT(t, 0u);
            taken += t;
            batch.wake_all();
        }
        EXPECT_TRUE(h.list.empty());
        if constexpr (kWakeOne<L>) {
            EXPECT_EQ(h.log, iota(0, static_cast<int>(n)));
        } else {
            EXPECT_EQ(sorted(h.log), iota(0, static_cast<int>(n)));
        }
        for (std::size_t i = 0; i < n; ++i) EXPECT_FALSE(h.unlink(i));
        expected += static_cast<int>(n);
    }
    EXPECT_EQ(h.total_wakes(), expected);
    EXPECT_EQ(h.total_drops(), 0);
}

// ---- wake-one lists -----------------------------------------------------------------------------


template <class L>
class WakeOneWaitListTest : public ::testing::Test {};
TYPED_TEST_SUITE(WakeOneWaitListTest, WakeOneLists, ListName);

// take(n) hands over exactly n when more wait, and never more than the batch has room for.
TYPED_TEST(WakeOneWaitListTest, TakeIsBoundedByNAndBatchRoom) {
    using L = TypeParam;
    Harness<L> h(40);
    h.link_range(0, 40);
    const std::uint64_t mark = h.list.mark();
    typename L::Batch batch;
    EXPECT_EQ(h.list.take(3, batch, mark), 3u);
    EXPECT_EQ(h.list.take(0, batch, mark), 0u);
    EXPECT_EQ(h.list.take(kAll, batch, mark), 29u);  // 32 - 3 left
    EXPECT_TRUE(batch.full());
    EXPECT_EQ(h.list.take(kAll, batch, mark), 0u);  // full: nothing more
    batch.wake_all();
    EXPECT_EQ(h.log, iota(0, 32));
    EXPECT_EQ(h.list.take(kAll, batch, mark), 8u);
    batch.wake_all();
    EXPECT_EQ(h.log, iota(0, 40));
    EXPECT_TRUE(h.list.empty());
}

// FIFO across interleaved links, unlinks and takes.
TYPED_TEST(WakeOneWaitListTest, FifoAcrossInterleavedLinkUnlinkTake) {
    using L = TypeParam;
    Harness<L> h(8);
    typename L::Batch batch;
    h.link_range(0, 4);                                   // 0 1 2 3
    EXPECT_EQ(h.list.take(1, batch, h.list.mark()), 1u);  // takes 0 -> 1 2 3
    EXPECT_TRUE(h.unlink(2));                             // 1 3
    h.link(4);                                            // 1 3 4
    h.link(5);                                            // 1 3 4 5
    EXPECT_TRUE(h.unlink(4));                             // 1 3 5
    EXPECT_FALSE(h.unlink(0));
    h.link(0);  // a settled slot may link again, at the back: 1 3 5 0
    h.link(6);  // 1 3 5 0 6
    EXPECT_TRUE(h.unlink(6));
    EXPECT_EQ(h.list.take(2, batch, h.list.mark()), 2u);  // 1 3
    EXPECT_EQ(h.list.take(kAll, batch, h.list.mark()), 2u);  // 5 0
    batch.wake_all();
    EXPECT_EQ(h.log, std::vector<int>({0, 1, 3, 5, 0}));
    EXPECT_TRUE(h.list.empty());
    EXPECT_EQ(h.probes[0].wakes, 2);
    EXPECT_EQ(h.probes[2].drops + h.probes[4].drops + h.probes[6].drops, 3);
}

// ---- slab ---------------------------------------------------------------------------------------

template <class L>
class SlabWaitListTest : public ::testing::Test {};
TYPED_TEST_SUITE(SlabWaitListTest, ::testing::Types<SlabWaitList<StdSync>>, ListName);

// 4. Waiters that cancel while nobody takes (timeouts, dropped futures) leave stale FIFO tickets
// behind; the slab must compact them and keep the live waiters in link order.
TYPED_TEST(SlabWaitListTest, CancelChurnWithoutTakeKeepsFifo) {
    using L = TypeParam;
    Harness<L> h(8);
    h.link_range(0, 3);  // live: 0 1 2
    for (int i = 0; i < 10000; ++i) {
        h.link(5);
        if (i % 3 == 0) h.link(6);
        EXPECT_TRUE(h.unlink(5));
        if (i % 3 == 0) {
            EXPECT_TRUE(h.unlink(6));
        }
        if (i == 5000) h.link(3);  // live: 0 1 2 3
        if (i == 7000) {
            EXPECT_TRUE(h.unlink(1));  // live: 0 2 3
            h.link(4);                 // live: 0 2 3 4
        }
    }
    EXPECT_EQ(h.probes[5].drops, 10000);
    EXPECT_EQ(h.probes[6].drops, 3334);
    EXPECT_EQ(h.total_wakes(), 0);

    typename L::Batch batch;
    EXPECT_EQ(h.list.take(kAll, batch, h.list.mark()), 4u);
    batch.wake_all();
    EXPECT_EQ(h.log, std::vector<int>({0, 2, 3, 4}));
    EXPECT_TRUE(h.list.empty());
}

// Stale tickets ahead of the mark do not stop a take, and a stale ticket whose slab key has been
// reused by a later waiter is not mistaken for that waiter.
TYPED_TEST(SlabWaitListTest, ReusedKeyIsNotConfusedWithStaleTicket) {
    using L = TypeParam;
    Harness<L> h(4);
    h.link(0);
    h.link(1);
    EXPECT_TRUE(h.unlink(0));  // frees 0's key; its ticket goes stale at the front
    h.link(2);                 // reuses that key, behind 1
    const std::uint64_t mark = h.list.mark();
    h.link(3);
    typename L::Batch batch;
    EXPECT_EQ(h.list.take(kAll, batch, mark), 2u);
    batch.wake_all();
    EXPECT_EQ(h.log, std::vector<int>({1, 2}));
    EXPECT_FALSE(h.unlink(2));  // taken, even though its key is the one 0 had
    EXPECT_TRUE(h.unlink(3));
    EXPECT_EQ(h.probes[0].drops, 1);
    EXPECT_EQ(h.probes[3].drops, 1);
    EXPECT_EQ(h.probes[0].wakes, 0);
}

// Many live waiters plus churn beyond the compaction threshold in between takes.
TYPED_TEST(SlabWaitListTest, ChurnBetweenPartialTakes) {
    using L = TypeParam;
    Harness<L> h(300);
    h.link_range(0, 200);
    for (std::size_t i = 0; i < 200; i += 2) EXPECT_TRUE(h.unlink(i));  // odd ones stay
    h.link_range(200, 300);
    for (std::size_t i = 200; i < 300; i += 2) EXPECT_TRUE(h.unlink(i));
    std::vector<int> expected;
    for (int i = 1; i < 300; i += 2) expected.push_back(i);
    typename L::Batch batch;
    std::size_t taken = 0;
    while (std::size_t t = h.list.take(kAll, batch, h.list.mark())) {
        taken += t;
        batch.wake_all();
        // churn between rounds
        for (int k = 0; k < 100; ++k) {
            h.link(0);
            EXPECT_TRUE(h.unlink(0));
        }
    }
    EXPECT_EQ(taken, 150u);
    EXPECT_EQ(h.log, expected);
    EXPECT_TRUE(h.list.empty());
}

// ---- parking_lot --------------------------------------------------------------------------------

// Every key in one bucket, as under the model checker: two wait lists' waiters interleave in one
// bucket's list, and each list must take, mark and count only its own.
struct OneBucketSync : StdSync {
    static constexpr std::size_t kHashBuckets = 1;
};

TEST(ParkingLotWaitList, ListsSharingABucketTakeOnlyTheirOwnInLinkOrder) {
    using L = ParkingLotWaitList<OneBucketSync>;
    std::vector<int> log;
    std::array<Probe, 6> probes;
    for (int i = 0; i < 6; ++i) probes[static_cast<std::size_t>(i)] = Probe{.id = i, .log = &log};
    std::array<L::Slot, 6> slots;
    L a, b;  // after the slots: destroyed first, and empty by then
    for (std::size_t i = 0; i < 6; ++i) (i % 2 ? b : a).link(slots[i], probes[i].waker());  // a: 0 2 4, b: 1 3 5
    EXPECT_EQ(a.linked(), 3u);
    EXPECT_EQ(b.linked(), 3u);
    const std::uint64_t a_mark = a.mark();
    L::Batch batch;
    EXPECT_EQ(a.take(1, batch, a_mark), 1u);  // 0
    EXPECT_TRUE(b.unlink(slots[3]));          // b: 1 5
    a.link(slots[3], probes[3].waker());      // a: 2 4 3, the 3 after a's mark
    EXPECT_EQ(a.take(kAll, batch, a_mark), 2u);  // 2 4: b's nodes skipped, a's newer one kept
    EXPECT_EQ(b.take(kAll, batch, b.mark()), 2u);  // 1 5
    batch.wake_all();
    EXPECT_EQ(log, std::vector<int>({0, 2, 4, 1, 5}));
    EXPECT_FALSE(a.unlink(slots[0]));  // taken: woken, not withdrawn
    EXPECT_TRUE(a.unlink(slots[3]));
    EXPECT_TRUE(a.empty() && b.empty());
    EXPECT_EQ(probes[3].drops, 2);  // withdrawn twice: from b, then from a
}

// 1000 lists in 256 buckets, so most buckets hold several lists' waiters: each list takes its own.
TEST(ParkingLotWaitList, ManyListsEachTakeTheirOwnWaiter) {
    using L = ParkingLotWaitList<StdSync>;
    constexpr std::size_t kLists = 1000;
    std::vector<int> log;
    std::vector<Probe> probes(kLists);
    auto slots = std::make_unique<L::Slot[]>(kLists);
    auto lists = std::make_unique<L[]>(kLists);
    for (std::size_t i = 0; i < kLists; ++i) {
        probes[i] = Probe{.id = static_cast<int>(i), .log = &log};
        lists[i].link(slots[i], probes[i].waker());
    }
    for (std::size_t i = kLists; i-- > 0;) {
        L::Batch batch;
        ASSERT_EQ(lists[i].take(kAll, batch, lists[i].mark()), 1u) << "list " << i;
        batch.wake_all();
        ASSERT_EQ(log.back(), static_cast<int>(i));
        EXPECT_TRUE(lists[i].empty());
    }
    EXPECT_EQ(log.size(), kLists);
    EXPECT_EQ(L::heap_bytes(), 0u);
}

// ---- small_vec ----------------------------------------------------------------------------------

// Taken and cancelled-oldest entries stay behind as a dead prefix until a link compacts them: a
// queue that keeps 4 waiters (take the oldest, link a new one) must stay inline, in FIFO order,
// with every waker woken or dropped exactly once.
TEST(SmallVecWaitList, AQueueOfFourWaitersStaysInlineAndInOrder) {
    using L = SmallVecWaitList<StdSync>;
    constexpr int kCycles = 64;
    std::vector<int> log;
    std::vector<Probe> probes(kCycles + L::kInline);
    for (std::size_t i = 0; i < probes.size(); ++i) probes[i] = Probe{.id = static_cast<int>(i), .log = &log};
    std::vector<L::Slot> slots(probes.size());
    L list;
    for (std::size_t i = 0; i < L::kInline; ++i) list.link(slots[i], probes[i].waker());
    for (std::size_t i = 0; i < kCycles; ++i) {
        if (i % 3 == 2) {
            EXPECT_TRUE(list.unlink(slots[i]));  // the oldest withdraws: dropped, not woken
        } else {
            L::Batch batch;
            ASSERT_EQ(list.take(1, batch, list.mark()), 1u);
            batch.wake_all();
        }
        list.link(slots[i + L::kInline], probes[i + L::kInline].waker());
        ASSERT_EQ(list.linked(), L::kInline);
        ASSERT_EQ(list.heap_bytes(), 0u) << "cycle " << i;
    }
    L::Batch batch;
    EXPECT_EQ(list.take(kAll, batch, list.mark()), L::kInline);
    batch.wake_all();
    std::vector<int> expected;
    for (int i = 0; i < kCycles; ++i)
        if (i % 3 != 2) expected.push_back(i);
    for (int i = kCycles; i < kCycles + static_cast<int>(L::kInline); ++i) expected.push_back(i);
    EXPECT_EQ(log, expected);
    for (std::size_t i = 0; i < probes.size(); ++i) EXPECT_EQ(probes[i].wakes + probes[i].drops, 1) << "waiter " << i;
    EXPECT_TRUE(list.empty());
}

// A wake-all in batches over many waiters, with cancels in the middle and at the front between
// batches: the live entries keep their order and a cancel finds its entry past the dead prefix.
TEST(SmallVecWaitList, PartialTakesAndCancelsOverManyWaitersKeepOrder) {
    using L = SmallVecWaitList<StdSync>;
    constexpr int kWaiters = 300;
    std::vector<int> log;
    std::vector<Probe> probes(kWaiters);
    std::vector<L::Slot> slots(kWaiters);
    L list;
    for (int i = 0; i < kWaiters; ++i) {
        probes[static_cast<std::size_t>(i)] = Probe{.id = i, .log = &log};
        list.link(slots[static_cast<std::size_t>(i)], probes[static_cast<std::size_t>(i)].waker());
    }
    const std::uint64_t mark = list.mark();
    std::vector<int> expected;
    int next = 0;
    while (!list.empty()) {
        L::Batch batch;
        const std::size_t taken = list.take(kAll, batch, mark);  // one batch: at most kWakeBatch
        batch.wake_all();
        for (std::size_t k = 0; k < taken; ++k) {
            while (probes[static_cast<std::size_t>(next)].drops) ++next;  // withdrawn: not in the list
            expected.push_back(next++);
        }
        if (next + 10 < kWaiters) {
            EXPECT_TRUE(list.unlink(slots[static_cast<std::size_t>(next)]));       // the oldest left
            EXPECT_TRUE(list.unlink(slots[static_cast<std::size_t>(next + 10)]));  // one in the middle
            ++next;
        }
        while (next < kWaiters && probes[static_cast<std::size_t>(next)].drops) ++next;
    }
    EXPECT_EQ(log, expected);
    int woken = 0, dropped = 0;
    for (const Probe& p : probes) {
        EXPECT_EQ(p.wakes + p.drops, 1) << "waiter " << p.id;
        woken += p.wakes;
        dropped += p.drops;
    }
    EXPECT_EQ(woken + dropped, kWaiters);
}

// ---- vec_reuse ----------------------------------------------------------------------------------

template <class L>
class VecReuseWaitListTest : public ::testing::Test {};
TYPED_TEST_SUITE(VecReuseWaitListTest, ::testing::Types<VecReuseWaitList<StdSync>>, ListName);

// 5. Allocation counts are measured elsewhere (alloc_test); here: the spare-vector pool stays
// correct when more batches are outstanding at once than it keeps spares, and when batches are
// destroyed unwoken (their vectors still go back to the pool, their wakers are dropped).
TYPED_TEST(VecReuseWaitListTest, ManyOutstandingBatchesThenReuse) {
    using L = TypeParam;
    constexpr std::size_t kBatches = 12;  // more than the pool keeps
    Harness<L> h(kBatches * 3);
    for (int round = 0; round < 20; ++round) {
        h.log.clear();
        for (auto& p : h.probes) p.wakes = p.drops = 0;
        {
            std::array<typename L::Batch, kBatches> batches;
            for (std::size_t b = 0; b < kBatches; ++b) {
                h.link_range(b * 3, b * 3 + 3);
                EXPECT_EQ(h.list.take(1, batches[b], h.list.mark()), 3u);
                EXPECT_TRUE(h.list.empty());
            }
            for (std::size_t b = 0; b < kBatches; b += 2) batches[b].wake_all();
            // odd batches go out of scope unwoken
        }
        for (std::size_t b = 0; b < kBatches; ++b) {
            for (std::size_t i = b * 3; i < b * 3 + 3; ++i) {
                EXPECT_EQ(h.probes[i].wakes, b % 2 == 0 ? 1 : 0) << i;
                EXPECT_EQ(h.probes[i].drops, b % 2 == 0 ? 0 : 1) << i;
                EXPECT_FALSE(h.unlink(i));
            }
        }
    }
}

// ---- misuse aborts ------------------------------------------------------------------------------

template <class L>
class WaitListDeathTest : public ::testing::Test {};
TYPED_TEST_SUITE(WaitListDeathTest, AllLists, ListName);

// 6. A list destroyed with a waiter still linked would leave that waiter pointing into freed
// memory (or the list pointing into the waiter): abort with a message, never throw.
TYPED_TEST(WaitListDeathTest, ListDestroyedWithLinkedWaiterAborts) {
    GTEST_FLAG_SET(death_test_style, "threadsafe");
    using L = TypeParam;
    Probe probe;
    EXPECT_DEATH(
        {
            typename L::Slot slot;
            L list;  // destroyed first, while slot is linked
            list.link(slot, probe.waker());
        },
        "destroyed while waiters are still linked");

    // The same shape, settled properly, is fine.
    {
        typename L::Slot slot;
        L list;
        list.link(slot, probe.waker());
        EXPECT_TRUE(list.unlink(slot));
    }
    EXPECT_EQ(probe.drops, 1);
    EXPECT_EQ(probe.wakes, 0);
}

TYPED_TEST(WaitListDeathTest, SlotDestroyedWhileLinkedAborts) {
    GTEST_FLAG_SET(death_test_style, "threadsafe");
    using L = TypeParam;
    Probe probe;
    EXPECT_DEATH(
        {
            L list;
            typename L::Slot slot;  // destroyed first, while linked
            list.link(slot, probe.waker());
        },
        "destroyed while still linked");

    {
        L list;
        typename L::Slot slot;
        list.link(slot, probe.waker());
        EXPECT_TRUE(list.unlink(slot));
    }
    EXPECT_EQ(probe.drops, 1);
}

// One linked waiter among several settled ones is enough.
TYPED_TEST(WaitListDeathTest, ListDestroyedWithOneOfManyLinkedAborts) {
    GTEST_FLAG_SET(death_test_style, "threadsafe");
    using L = TypeParam;
    Probe probe;
    EXPECT_DEATH(
        {
            typename L::Slot a;  // one declaration each: a comma would split the macro argument
            typename L::Slot b;
            typename L::Slot c;
            L list;
            list.link(a, probe.waker());
            list.link(b, probe.waker());
            list.link(c, probe.waker());
            (void)list.unlink(a);
            (void)list.unlink(c);
        },
        "destroyed while waiters are still linked");
}

// ---- Waker --------------------------------------------------------------------------------------

static_assert(!std::is_copy_constructible_v<Waker>);
static_assert(!std::is_copy_assignable_v<Waker>);
static_assert(std::is_nothrow_move_constructible_v<Waker>);
static_assert(std::is_nothrow_move_assignable_v<Waker>);
static_assert(std::is_nothrow_default_constructible_v<Waker>);

TEST(Waker, IsTwoWords) { EXPECT_EQ(sizeof(Waker), 2 * sizeof(void*)); }

TEST(Waker, WakeIsOneShot) {
    Probe p;
    Waker w = p.waker();
    EXPECT_TRUE(static_cast<bool>(w));
    EXPECT_EQ(w.data(), &p);
    w.wake();
    EXPECT_FALSE(static_cast<bool>(w));
    EXPECT_EQ(w.data(), nullptr);
    w.wake();  // empty: no-op
    EXPECT_EQ(p.wakes, 1);
    EXPECT_EQ(p.drops, 0);
    { Waker gone = std::move(w); }  // an empty waker drops nothing
    EXPECT_EQ(p.drops, 0);
}

TEST(Waker, DroppingUnwokenCallsDropOnce) {
    Probe p;
    { Waker w = p.waker(); }
    EXPECT_EQ(p.drops, 1);
    EXPECT_EQ(p.wakes, 0);
}

TEST(Waker, DefaultIsEmpty) {
    Waker w;
    EXPECT_FALSE(static_cast<bool>(w));
    EXPECT_EQ(w.data(), nullptr);
    w.wake();  // no-op, no crash
}

TEST(Waker, MoveTransfersOwnership) {
    Probe p;
    Waker a = p.waker();
    Waker b = std::move(a);
    EXPECT_FALSE(static_cast<bool>(a));  // NOLINT(bugprone-use-after-move): moved-from is empty
    EXPECT_TRUE(static_cast<bool>(b));
    a.wake();
    EXPECT_EQ(p.wakes, 0);
    b.wake();
    EXPECT_EQ(p.wakes, 1);
    EXPECT_EQ(p.drops, 0);
}

TEST(Waker, MoveAssignDropsThePreviousTarget) {
    Probe p, q;
    Waker a = p.waker();
    Waker b = q.waker();
    a = std::move(b);  // a's old waker (p) is dropped, unwoken
    EXPECT_EQ(p.drops, 1);
    EXPECT_EQ(p.wakes, 0);
    EXPECT_EQ(q.drops, 0);
    EXPECT_EQ(a.data(), &q);
    Waker& self = a;
    a = std::move(self);  // self-move keeps it
    EXPECT_EQ(a.data(), &q);
    EXPECT_EQ(q.drops, 0);
    a.wake();
    EXPECT_EQ(q.wakes, 1);
    EXPECT_EQ(q.drops, 0);
    EXPECT_EQ(p.wakes, 0);
}

// ---- ThreadParker -------------------------------------------------------------------------------

// 8. A wake from another thread releases park(), and what the waker wrote before waking is visible
// after park() returns (TSan checks the happens-before).
TEST(ThreadParker, WakeFromAnotherThreadReleasesPark) {
    ThreadParker parker;
    int payload = 0;  // plain data: published by the wake
    std::atomic<bool> woke{false};
    Waker w = parker.arm();
    std::thread t([&payload, &woke, w = std::move(w)]() mutable {
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
        payload = 42;
        woke.store(true, std::memory_order_relaxed);
        w.wake();
    });
    parker.park();
    EXPECT_TRUE(woke.load(std::memory_order_relaxed));
    EXPECT_EQ(payload, 42);
    t.join();
}

TEST(ThreadParker, WakeBeforeParkReturnsImmediately) {
    ThreadParker parker;
    Waker w = parker.arm();
    w.wake();
    const auto start = std::chrono::steady_clock::now();
    parker.park();  // must not block
    EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(1));
}

// A parker is re-armed for every wait: each arm() hands out a Waker for the next park() only.
TEST(ThreadParker, RearmAcrossManyRounds) {
    ThreadParker parker;
    std::atomic<int> round{0};
    Waker pending;
    std::atomic<bool> ready{false};
    // Ping-pong: the main thread arms and publishes its waker; the helper wakes it.
    std::thread helper([&] {
        for (int i = 0; i < 200; ++i) {
            while (!ready.load(std::memory_order_acquire)) std::this_thread::yield();
            ready.store(false, std::memory_order_relaxed);
            Waker w = std::move(pending);
            round.store(i + 1, std::memory_order_relaxed);
            w.wake();
        }
    });
    for (int i = 0; i < 200; ++i) {
        pending = parker.arm();
        ready.store(true, std::memory_order_release);
        parker.park();
        EXPECT_EQ(round.load(std::memory_order_relaxed), i + 1);
    }
    helper.join();
}

}  // namespace
}  // namespace wakerbench::test
