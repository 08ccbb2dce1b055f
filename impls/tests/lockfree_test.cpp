// Tests aimed at the lock-free rows' own paths: the event count by itself; a send or receive with
// nobody waiting takes no lock; a waiter that announces itself and then does not sleep (the item
// arrives, or its task is cancelled, between prepare and commit); the free-slot counter never lets
// more than the capacity into the queue and never strands a sender; producers racing a close.
// The typed suites in channel_test / channel_async_test / timed_test cover everything else.

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <functional>
#include <mutex>
#include <numeric>
#include <optional>
#include <random>
#include <span>
#include <thread>
#include <utility>
#include <vector>

#include "rows.hpp"
#include "test_util.hpp"
#include "wakerbench/wakerbench.hpp"

namespace {

using namespace wakerbench;
using namespace wakerbench::test;

// ---- a Sync policy that counts lock acquisitions and can step between prepare and commit --------

struct Probe {
    static inline std::atomic<std::uint64_t> locks{0};
    // Read-modify-writes on the channel's own atomics (counters, flags, event-count states); the
    // queue's internals are the queue's business and are not counted.
    static inline std::atomic<std::uint64_t> rmws{0};
    // Runs once, on this thread, right after the next fetch_add through ProbedAtomic. On a thread
    // about to wait, the first fetch_add is the event count's prepare().
    static inline thread_local std::function<void()> after_next_fetch_add;
};

class CountingMutex {
public:
    void lock() {
        Probe::locks.fetch_add(1, std::memory_order_relaxed);
        m_.lock();
    }
    bool try_lock() {
        Probe::locks.fetch_add(1, std::memory_order_relaxed);
        return m_.try_lock();
    }
    void unlock() { m_.unlock(); }

private:
    std::mutex m_;
};

template <class T>
class ProbedAtomic : public std::atomic<T> {
public:
    using std::atomic<T>::atomic;
    using std::atomic<T>::operator=;
    T fetch_add(T arg, std::memory_order order = std::memory_order_seq_cst) noexcept {
        counted();
        const T old = std::atomic<T>::fetch_add(arg, order);
        if (Probe::after_next_fetch_add) std::exchange(Probe::after_next_fetch_add, nullptr)();
        return old;
    }
    T fetch_sub(T arg, std::memory_order order = std::memory_order_seq_cst) noexcept {
        counted();
        return std::atomic<T>::fetch_sub(arg, order);
    }
    T exchange(T arg, std::memory_order order = std::memory_order_seq_cst) noexcept {
        counted();
        return std::atomic<T>::exchange(arg, order);
    }
    bool compare_exchange_weak(T& expected, T desired, std::memory_order success, std::memory_order failure) noexcept {
        counted();
        return std::atomic<T>::compare_exchange_weak(expected, desired, success, failure);
    }
    bool compare_exchange_strong(T& expected, T desired, std::memory_order success, std::memory_order failure) noexcept {
        counted();
        return std::atomic<T>::compare_exchange_strong(expected, desired, success, failure);
    }

private:
    static void counted() noexcept { Probe::rmws.fetch_add(1, std::memory_order_relaxed); }
};

struct ProbedSync : StdSync {
    using mutex = CountingMutex;
    template <class T>
    using atomic = ProbedAtomic<T>;
};

// ---- a queue adapter that measures how many items are physically inside -----------------------

struct Gauge {
    static inline std::atomic<std::int64_t> inside{0}, high{0}, pushes{0}, pops{0};
    static void reset() {
        inside = 0;
        high = 0;
        pushes = 0;
        pops = 0;
    }
};

// Counts after a push and after a pop. Both lag the queue, but a pop is counted before its slot is
// released and a push after its slot is claimed, so `inside` never exceeds the claimed slots: a
// reading above the capacity is a real overflow.
template <class Inner>
class GaugedQueue : public Inner {
public:
    using Inner::Inner;
    template <class T>
    std::size_t push_bulk(std::span<T> items) {
        const auto n = static_cast<std::int64_t>(Inner::push_bulk(items));
        Gauge::pushes += n;
        const std::int64_t now = Gauge::inside += n;
        std::int64_t high = Gauge::high.load();
        while (now > high && !Gauge::high.compare_exchange_weak(high, now)) {
        }
        return static_cast<std::size_t>(n);
    }
    template <class Opt>
    std::size_t pop_bulk(Opt* out, std::size_t max) {
        const std::size_t n = Inner::pop_bulk(out, max);
        Gauge::pops += static_cast<std::int64_t>(n);
        Gauge::inside -= static_cast<std::int64_t>(n);
        return n;
    }
};

// A lock-free row's channel over its own adapter Q, with the test Sync and/or the gauge.
template <template <class> class Q, class Sync>
struct TestRow {
    template <class T, class S = Sync>
    using channel = LockFreeChannel<T, Q<T>, S>;
};
template <template <class> class Q>
struct Adapter {
    template <class T>
    using gauged = GaugedQueue<Q<T>>;
    using probed = TestRow<Q, ProbedSync>;
    using with_gauge = TestRow<gauged, StdSync>;
    static constexpr const char* kName = Q<std::uint64_t>::kName;
};

using Adapters = ::testing::Types<Adapter<MoodycamelQueue>, Adapter<BoostLockfreeQueue>>;
struct AdapterName {
    template <class A>
    static std::string GetName(int) {
        return A::kName;
    }
};

template <class A>
class LockFreeTest : public ::testing::Test {
protected:
    void SetUp() override {
        Probe::locks = 0;
        Gauge::reset();
    }
};
TYPED_TEST_SUITE(LockFreeTest, Adapters, AdapterName);

// Receives until closed: one at a time (max 1, through recv) or in batches of up to max.
template <class Receiver>
void drain_until_closed(Receiver& rx, std::vector<std::uint64_t>& seen, std::size_t max) {
    if (max == 1) {
        while (auto v = rx.recv()) seen.push_back(*v);
        return;
    }
    while (rx.recv_batch(seen, max) > 0) {
    }
}

// ---- no lock without a waiter ------------------------------------------------------------------

TYPED_TEST(LockFreeTest, SendAndRecvWithNobodyWaitingTakeNoLock) {
    for (Capacity cap : {Capacity(64), Capacity(unbounded)}) {
        auto [tx, rx] = make_channel<typename TypeParam::probed, std::uint64_t>(cap);
        Probe::locks = 0;
        std::vector<std::uint64_t> batch(16), out;
        for (std::uint64_t round = 0; round < 1000; ++round) {
            ASSERT_TRUE(tx.send(round).sent());
            ASSERT_TRUE(tx.try_send(round).sent());
            std::iota(batch.begin(), batch.end(), round);
            ASSERT_EQ(tx.send_batch(std::span<std::uint64_t>(batch)), batch.size());
            ASSERT_EQ(rx.recv(), round);
            ASSERT_TRUE(rx.try_recv().received());
            out.clear();
            ASSERT_EQ(rx.recv_batch(out, 10), 10u);
            ASSERT_EQ(rx.try_recv_batch(out, 64), 6u);
        }
        EXPECT_EQ(Probe::locks.load(), 0u) << "a send or receive that never had to wait took the event count's lock";
        EXPECT_EQ(tx.channel().stats().waits, 0u);
        EXPECT_EQ(tx.channel().stats().wakes, 0u);
    }
}

// ---- no read-modify-write beyond the claim without a waiter --------------------------------------

// A send or receive that finds nobody waiting does exactly the read-modify-writes its claim needs:
// one on the item counter (ready_), plus one on the slot counter (free_) when bounded. Nothing for
// statistics, nothing on the event counts, whose state it only loads: the same bill as
// moodycamel's BlockingConcurrentQueue, whose semaphore count is its only shared RMW.
TYPED_TEST(LockFreeTest, SendAndRecvWithNobodyWaitingDoOnlyTheirClaims) {
    for (Capacity cap : {Capacity(64), Capacity(unbounded)}) {
        auto [tx, rx] = make_channel<typename TypeParam::probed, std::uint64_t>(cap);
        const std::uint64_t claims = cap.bounded() ? 2 : 1;
        auto rmws_of = [](auto&& op) {
            const std::uint64_t before = Probe::rmws.load();
            op();
            return Probe::rmws.load() - before;
        };
        std::vector<std::uint64_t> batch(16), out;
        for (std::uint64_t round = 0; round < 100; ++round) {
            EXPECT_EQ(rmws_of([&] { ASSERT_TRUE(tx.send(round).sent()); }), claims) << "send";
            EXPECT_EQ(rmws_of([&] { ASSERT_TRUE(tx.try_send(round).sent()); }), claims) << "try_send";
            EXPECT_EQ(rmws_of([&] { ASSERT_EQ(tx.send_batch(std::span<std::uint64_t>(batch)), batch.size()); }), claims) << "send_batch";
            EXPECT_EQ(rmws_of([&] { ASSERT_TRUE(rx.recv().has_value()); }), claims) << "recv";
            EXPECT_EQ(rmws_of([&] { ASSERT_TRUE(rx.try_recv().received()); }), claims) << "try_recv";
            out.clear();
            EXPECT_EQ(rmws_of([&] { ASSERT_EQ(rx.recv_batch(out, 10), 10u); }), claims) << "recv_batch";
            EXPECT_EQ(rmws_of([&] { ASSERT_EQ(rx.try_recv_batch(out, 64), 6u); }), claims) << "try_recv_batch";
        }
        EXPECT_EQ(tx.channel().stats().wakes, 0u);
    }
}

// The same counter does see the slow path: a send to a blocked receiver takes the lock.
TYPED_TEST(LockFreeTest, SendToABlockedReceiverTakesTheLock) {
    auto [tx, rx] = make_channel<typename TypeParam::probed, std::uint64_t>(4);
    std::optional<std::uint64_t> got;
    std::thread receiver([&, rx = rx]() mutable { got = rx.recv(); });
    ASSERT_TRUE(waits_reach(tx, 1));
    const std::uint64_t before = Probe::locks.load();
    ASSERT_TRUE(tx.send(7).sent());
    receiver.join();
    EXPECT_EQ(got, 7u);
    EXPECT_GT(Probe::locks.load(), before);
    EXPECT_EQ(tx.channel().stats().wakes, 1u);
}

// ---- between prepare and commit ------------------------------------------------------------------

// The receiver announces itself; before it re-checks, a sender publishes (and, seeing the
// announcement, takes the slow path). The re-check finds the item: the receiver never sleeps and
// retracts its announcement, so the next send is back on the fast path.
TYPED_TEST(LockFreeTest, ItemArrivingBetweenPrepareAndCommitIsTakenWithoutSleeping) {
    auto [tx, rx] = make_channel<typename TypeParam::probed, std::uint64_t>(4);
    std::uint64_t locks_in_hook = 0;
    Probe::after_next_fetch_add = [&, tx = tx]() mutable {
        const std::uint64_t before = Probe::locks.load();
        ASSERT_TRUE(tx.try_send(42).sent());
        locks_in_hook = Probe::locks.load() - before;
    };
    EXPECT_EQ(rx.recv(), 42u);
    EXPECT_EQ(locks_in_hook, 1u) << "the send did not see the announced receiver (the interleaving did not happen)";
    EXPECT_EQ(tx.channel().stats().waits, 0u) << "the receiver slept although the item was there";

    const std::uint64_t before = Probe::locks.load();
    ASSERT_TRUE(tx.try_send(43).sent());
    EXPECT_EQ(Probe::locks.load(), before) << "the receiver's announcement was not retracted";
    EXPECT_EQ(rx.try_recv().take(), 43u);
}

rt::Task<std::optional<std::uint64_t>> recv_one(auto rx) { co_return co_await rx.recv(); }

// A coroutine receiver is cancelled between prepare and commit: it still commits, the executor
// then destroys it, and its waiter withdraws and retracts the announcement. Nothing is lost: the
// next item takes the fast path and reaches the next receiver.
TYPED_TEST(LockFreeTest, ReceiverCancelledBetweenPrepareAndCommit) {
    auto [tx, rx] = make_channel<typename TypeParam::probed, std::uint64_t>(4);
    rt::RunLoop loop;
    auto first = rt::spawn(loop, recv_one(rx.async()));
    Probe::after_next_fetch_add = [&] { first.cancel(); };
    loop.run_until_idle();
    ASSERT_FALSE(Probe::after_next_fetch_add) << "the receiver never prepared";
    ASSERT_TRUE(first.cancelled());
    EXPECT_EQ(tx.channel().stats().waits, 1u);  // it did commit before the executor destroyed it

    const std::uint64_t before = Probe::locks.load();
    ASSERT_TRUE(tx.try_send(5).sent());
    EXPECT_EQ(Probe::locks.load(), before) << "the cancelled receiver left its announcement behind";
    auto second = rt::spawn(loop, recv_one(rx.async()));
    loop.run_until_idle();
    ASSERT_TRUE(second.done());
    EXPECT_EQ(second.get(), 5u);
}

// ---- the free-slot counter --------------------------------------------------------------------

// Four senders (blocking single sends and batches) against two receivers (single and batch) on
// tiny capacities: the queue never holds more than the capacity, and every sender finishes.
TYPED_TEST(LockFreeTest, BoundedGaugeNeverExceedsCapacityAndNoSenderIsStranded) {
    constexpr std::uint32_t kProducers = 4, kItems = 20000;
    for (std::size_t cap : {1u, 3u}) {
        Gauge::reset();
        std::vector<std::vector<std::uint64_t>> seen(2);
        {
            auto [tx, rx] = make_channel<typename TypeParam::with_gauge, std::uint64_t>(cap);
            std::vector<std::thread> threads;
            for (std::uint32_t p = 0; p < kProducers; ++p)
                threads.emplace_back([p, tx = tx]() mutable {
                    std::vector<std::uint64_t> batch;
                    for (std::uint32_t s = 0; s < kItems;) {
                        if (p % 2 == 0) {
                            ASSERT_TRUE(tx.send(key_of(p, s++)).sent());
                            continue;
                        }
                        batch.clear();
                        for (std::uint32_t k = 0; k < 5 && s < kItems; ++k) batch.push_back(key_of(p, s++));
                        ASSERT_EQ(tx.send_batch(std::span<std::uint64_t>(batch)), batch.size());
                    }
                });
            drop(tx);
            for (std::size_t c = 0; c < seen.size(); ++c)
                threads.emplace_back([c, rx = rx, &seen]() mutable { drain_until_closed(rx, seen[c], c == 0 ? 1 : 7); });
            drop(rx);
            for (auto& t : threads) t.join();
        }
        check_exactly_once_in_order(kProducers, kItems, seen);
        EXPECT_LE(Gauge::high.load(), static_cast<std::int64_t>(cap)) << "more than the capacity was inside the queue";
        EXPECT_GE(Gauge::high.load(), 1);
        EXPECT_EQ(Gauge::pushes.load(), Gauge::pops.load());
        std::printf("[ gauge ] %s cap %zu: at most %lld inside\n", TypeParam::kName, cap, static_cast<long long>(Gauge::high.load()));
    }
}

// The gauge can fail: unbounded, a burst with no receiver running leaves all of it inside.
TYPED_TEST(LockFreeTest, GaugeSeesItemsBeyondACapacityWhenThereIsNone) {
    auto [tx, rx] = make_channel<typename TypeParam::with_gauge, std::uint64_t>(unbounded);
    for (std::uint64_t i = 0; i < 100; ++i) ASSERT_TRUE(tx.send(i).sent());
    EXPECT_EQ(Gauge::high.load(), 100);
}

// Space freed one slot at a time releases exactly as many blocked senders.
TYPED_TEST(LockFreeTest, FreedSlotsReleaseBlockedSendersOneForOne) {
    auto [tx, rx] = make_channel<typename TypeParam::with_gauge, std::uint64_t>(2);
    ASSERT_TRUE(tx.try_send(0).sent());
    ASSERT_TRUE(tx.try_send(1).sent());
    std::atomic<int> finished{0};
    std::vector<std::thread> senders;
    for (std::uint64_t i = 0; i < 3; ++i)
        senders.emplace_back([&, i, tx = tx]() mutable {
            EXPECT_TRUE(tx.send(10 + i).sent());
            ++finished;
        });
    ASSERT_TRUE(waits_reach(tx, 3));
    std::vector<std::uint64_t> out;
    ASSERT_EQ(rx.try_recv_batch(out, 2), 2u);
    ASSERT_TRUE(eventually([&] { return finished.load() == 2; }));
    ASSERT_TRUE(rx.try_recv().received());
    for (auto& t : senders) t.join();
    EXPECT_EQ(finished.load(), 3);
    EXPECT_EQ(tx.channel().size(), 2u);
    EXPECT_LE(Gauge::high.load(), 2);
}

// ---- producers racing a close -----------------------------------------------------------------

// Producers leave at random points while two receivers drain: every item sent arrives exactly
// once, in order per producer, and "closed" comes only after the last one.
TYPED_TEST(LockFreeTest, ManyProducersRacingTheirOwnClose) {
    std::mt19937 rng(20261121);
    for (int iteration = 0; iteration < 40; ++iteration) {
        constexpr std::uint32_t kProducers = 4;
        std::vector<std::uint32_t> items(kProducers);
        for (auto& n : items) n = rng() % 2000;
        Gauge::reset();
        std::vector<std::vector<std::uint64_t>> seen(2);
        {
            auto [tx, rx] = make_channel<typename TypeParam::with_gauge, std::uint64_t>(iteration % 2 ? Capacity(8) : Capacity(unbounded));
            std::vector<std::thread> threads;
            for (std::uint32_t p = 0; p < kProducers; ++p)
                threads.emplace_back([p, n = items[p], tx = tx]() mutable {
                    for (std::uint32_t s = 0; s < n; ++s) ASSERT_TRUE(tx.send(key_of(p, s)).sent());
                });  // the handle goes with the thread: the last one out closes
            drop(tx);
            for (std::size_t c = 0; c < seen.size(); ++c)
                threads.emplace_back([c, rx = rx, &seen]() mutable { drain_until_closed(rx, seen[c], c == 0 ? 1 : 16); });
            drop(rx);
            for (auto& t : threads) t.join();
        }
        std::size_t total = 0;
        for (auto& s : seen) total += s.size();
        std::size_t expected = 0;
        for (auto n : items) expected += n;
        ASSERT_EQ(total, expected) << "iteration " << iteration;
        for (std::size_t c = 0; c < seen.size(); ++c) {
            std::vector<std::int64_t> last(kProducers, -1);
            for (std::uint64_t key : seen[c]) {
                ASSERT_GT(static_cast<std::int64_t>(seq_of(key)), last[producer_of(key)]) << "out of order, iteration " << iteration;
                last[producer_of(key)] = seq_of(key);
            }
        }
        EXPECT_EQ(Gauge::pushes.load(), Gauge::pops.load());
    }
}

// The last receiver leaves while producers are mid-flight: every item is either received, handed
// back by a failed send, or destroyed by the close; the queue is empty once the channel is gone.
TYPED_TEST(LockFreeTest, ManyProducersRacingTheReceiversClose) {
    for (int iteration = 0; iteration < 40; ++iteration) {
        constexpr std::uint32_t kProducers = 4, kItems = 5000;
        Gauge::reset();
        std::atomic<std::uint64_t> sent{0}, handed_back{0}, received{0};
        {
            auto [tx, rx] = make_channel<typename TypeParam::with_gauge, std::uint64_t>(iteration % 2 ? Capacity(4) : Capacity(unbounded));
            std::vector<std::thread> producers;
            for (std::uint32_t p = 0; p < kProducers; ++p)
                producers.emplace_back([&, p, tx = tx]() mutable {
                    std::uint32_t s = 0;
                    for (; s < kItems; ++s) {
                        auto r = tx.send(key_of(p, s));
                        if (!r.sent()) {
                            ASSERT_TRUE(r.closed());
                            ASSERT_EQ(r.value(), key_of(p, s)) << "a failed send handed back the wrong value";
                            ++handed_back;
                            break;
                        }
                        ++sent;
                    }
                    handed_back += kItems - std::min(kItems, s + 1);  // never attempted after the close
                });
            drop(tx);
            std::thread receiver([&, rx = std::move(rx), stop = 200 + iteration * 100]() mutable {
                for (int i = 0; i < stop; ++i) {
                    if (!rx.recv()) break;
                    ++received;
                }
            });  // leaves with the last receiver handle
            receiver.join();
            for (auto& t : producers) t.join();
        }
        EXPECT_EQ(sent + handed_back, std::uint64_t{kProducers} * kItems) << "iteration " << iteration;
        EXPECT_EQ(static_cast<std::uint64_t>(Gauge::pushes.load()), sent.load()) << "iteration " << iteration;
        EXPECT_EQ(Gauge::pushes.load(), Gauge::pops.load()) << "items were left in the queue, iteration " << iteration;
        EXPECT_LE(received.load(), sent.load());
    }
}

// ---- the event count by itself -----------------------------------------------------------------

struct CountingWaker {
    int woken = 0;
    static void wake(void* d) noexcept { ++static_cast<CountingWaker*>(d)->woken; }
    static void forget(void*) noexcept {}
    static constexpr WakerVTable kVTable{&wake, &forget};
    Waker waker() { return Waker(this, &kVTable); }
};

TEST(EventCount, NotifyWithNobodyAnnouncedTakesNoLock) {
    EventCount<ProbedSync> ec;
    Probe::locks = 0;
    EXPECT_EQ(ec.notify(1), 0u);
    EXPECT_EQ(ec.notify_all(), 0u);
    EXPECT_EQ(Probe::locks.load(), 0u);
}

TEST(EventCount, NotifyBetweenPrepareAndCommitMakesCommitRefuse) {
    EventCount<StdSync> ec;
    EventCount<StdSync>::Node node;
    CountingWaker w;
    const auto key = ec.prepare();
    EXPECT_EQ(ec.announced(), 1u);
    EXPECT_EQ(ec.notify(1), 0u);  // slow path: nobody committed yet, but the epoch moves
    EXPECT_FALSE(ec.commit(key, node, w.waker())) << "a waiter committed to sleep through a notify it raced with";
    EXPECT_EQ(ec.announced(), 0u);
    EXPECT_EQ(w.woken, 0);
}

TEST(EventCount, CancelRetractsTheAnnouncement) {
    EventCount<ProbedSync> ec;
    (void)ec.prepare();
    ec.cancel();
    Probe::locks = 0;
    EXPECT_EQ(ec.notify(1), 0u);
    EXPECT_EQ(Probe::locks.load(), 0u);
}

TEST(EventCount, NotifyWakesTheOldestCommittedWaitersAndRetractsThem) {
    EventCount<StdSync> ec;
    constexpr int kWaiters = 40;  // more than one wake batch
    std::vector<EventCount<StdSync>::Node> nodes(kWaiters);
    std::vector<CountingWaker> wakers(kWaiters);
    for (int i = 0; i < kWaiters; ++i) ASSERT_TRUE(ec.commit(ec.prepare(), nodes[i], wakers[i].waker()));
    EXPECT_EQ(ec.notify(35), 35u);
    for (int i = 0; i < kWaiters; ++i) EXPECT_EQ(wakers[i].woken, i < 35 ? 1 : 0) << "waiter " << i;
    EXPECT_EQ(ec.announced(), 5u);
    for (int i = 0; i < kWaiters; ++i) EXPECT_EQ(ec.withdraw(nodes[i]), i < 35) << "waiter " << i;
    EXPECT_EQ(ec.announced(), 0u);
}

// A woken waiter that immediately waits again, as a looping receiver does.
struct Relink {
    EventCount<StdSync>* ec;
    EventCount<StdSync>::Node* node;
    CountingWaker* counter;
    static void wake(void* d) noexcept {
        auto* r = static_cast<Relink*>(d);
        ++r->counter->woken;
        (void)r->ec->commit(r->ec->prepare(), *r->node, r->counter->waker());
    }
    static void forget(void*) noexcept {}
    static constexpr WakerVTable kVTable{&wake, &forget};
};

TEST(EventCount, NotifyAllWakesOnlyThoseCommittedBeforeIt) {
    EventCount<StdSync> ec;
    constexpr int kWaiters = 70;  // three wake batches
    std::vector<EventCount<StdSync>::Node> nodes(kWaiters), again(kWaiters);
    std::vector<CountingWaker> wakers(kWaiters);
    std::vector<Relink> relinks(kWaiters);
    for (int i = 0; i < kWaiters; ++i) {
        relinks[i] = {&ec, &again[i], &wakers[i]};
        ASSERT_TRUE(ec.commit(ec.prepare(), nodes[i], Waker(&relinks[i], &Relink::kVTable)));
    }
    EXPECT_EQ(ec.notify_all(), std::size_t{kWaiters});
    for (int i = 0; i < kWaiters; ++i) EXPECT_EQ(wakers[i].woken, 1) << "waiter " << i << " woken twice or never";
    EXPECT_EQ(ec.announced(), std::size_t{kWaiters});  // the re-linked ones, still asleep
    for (int i = 0; i < kWaiters; ++i) EXPECT_FALSE(ec.withdraw(again[i]));
    for (int i = 0; i < kWaiters; ++i) EXPECT_TRUE(ec.withdraw(nodes[i]));
    EXPECT_EQ(ec.announced(), 0u);
}

}  // namespace
