// The two benchmark baselines (mutex_condvar, moodycamel_blocking) and the C++ peer (tbb), each
// tested for what its ImplInfo says it supports: exactly-once delivery with per-producer FIFO,
// batches, try_* operations and move-only payloads for all; timed waits where declared;
// backpressure and close for mutex_condvar; the unbounded-only, never-closing shape of
// moodycamel_blocking; the bounded, never-closing, untimed shape of tbb.

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <thread>
#include <type_traits>
#include <utility>
#include <vector>

#include "test_util.hpp"
#include "wakerbench/baselines/moodycamel_blocking.hpp"
#include "wakerbench/baselines/mutex_condvar.hpp"
#include "wakerbench/channel/handles.hpp"
#include "wakerbench/peers/tbb.hpp"

namespace {

using namespace wakerbench;
using namespace std::chrono_literals;
using test::drop;
using test::eventually;
using test::key_of;
using test::LiveCounted;
using test::Payload;
using test::waits_reach;

using Ptr = std::unique_ptr<std::uint64_t>;
using MutexCondvar = baselines::mutex_condvar;
using Moodycamel = baselines::moodycamel_blocking;
using Tbb = peers::tbb;

struct BaselineName {
    template <class Row>
    static std::string GetName(int) {
        return std::string(Row::info.name);
    }
};

template <class Row>
class BaselineTest : public ::testing::Test {};
using Baselines = ::testing::Types<MutexCondvar, Moodycamel, Tbb>;
TYPED_TEST_SUITE(BaselineTest, Baselines, BaselineName);

// The capacities each test runs at: capacity 1 (the most blocking) where the row is bounded too.
template <class Row>
std::vector<Capacity> capacities() {
    std::vector<Capacity> caps{unbounded};
    if constexpr (Row::info.bounded) caps.insert(caps.begin(), Capacity(1));
    return caps;
}

std::string capacity_name(Capacity c) { return c.bounded() ? "capacity " + std::to_string(c.limit()) : "unbounded"; }

// ---- the MPMC harness ------------------------------------------------------------------------

struct Mpmc {
    Capacity capacity;
    std::uint32_t producers;
    std::uint32_t consumers;
    std::uint32_t items;  // per producer
    bool batches;         // odd producers use send_batch, odd consumers use recv_batch
};

constexpr std::uint64_t kStop = ~std::uint64_t{0};  // the stop item for rows that cannot close

// Producers and consumers on real threads; returns what each consumer saw, in order. A row that
// closes ends its consumers by closing (the producers' handles are the last senders). One that
// cannot (moodycamel_blocking) is stopped the way its users stop it: once every item has been
// counted in, stop items are sent until every consumer has taken one and left.
template <class Row, class P>
std::vector<std::vector<std::uint64_t>> run_mpmc(const Mpmc& m) {
    auto [tx, rx] = make_channel<Row, P>(m.capacity);
    const std::uint64_t total = std::uint64_t{m.producers} * m.items;
    std::atomic<std::uint64_t> received{0};
    std::atomic<std::uint32_t> left{0};
    std::vector<std::vector<std::uint64_t>> seen(m.consumers);
    std::vector<std::thread> consumers, producers;

    for (std::uint32_t c = 0; c < m.consumers; ++c) {
        const bool batch = m.batches && c % 2 == 1;
        consumers.emplace_back([rx = rx, &out = seen[c], &received, &left, batch]() mutable {
            bool stop = false;
            auto take = [&](P& v) {
                const std::uint64_t key = Payload<P>::key(v);
                if (key == kStop) stop = true;
                else {
                    out.push_back(key);
                    received.fetch_add(1);
                }
            };
            if (batch) {
                std::vector<P> got;
                for (std::size_t k = 1; !stop; k = k % 7 + 1) {  // vary max: 1..7
                    got.clear();
                    const std::size_t n = rx.recv_batch(got, k);
                    if (n == 0) break;
                    EXPECT_EQ(n, got.size());
                    EXPECT_LE(n, k);
                    for (auto& v : got) take(v);
                }
            } else {
                while (!stop) {
                    auto v = rx.recv();
                    if (!v) break;
                    take(*v);
                }
            }
            left.fetch_add(1);
        });
    }
    for (std::uint32_t p = 0; p < m.producers; ++p) {
        const bool batch = m.batches && p % 2 == 1;
        producers.emplace_back([tx = tx, p, items = m.items, batch]() mutable { test::produce_keyed<P>(tx, p, items, batch); });
    }
    drop(rx);
    if constexpr (Row::info.close) {
        drop(tx);  // the producers' copies are now the only senders
    } else {
        for (auto& t : producers) t.join();
        producers.clear();
        EXPECT_TRUE(eventually([&] { return received.load() >= total; })) << "received " << received.load() << " of " << total;
        // try_send, not send: a consumer that took its stop may not have counted itself out yet
        // (1 ms is not enough under asan on a loaded machine), and a blocking send into a full
        // queue that no consumer is left to drain hung this test once. A stop still queued is
        // one somebody will take, so a full queue needs no other.
        while (left.load() < m.consumers) {
            (void)tx.try_send(Payload<P>::make(kStop));
            std::this_thread::sleep_for(1ms);
        }
    }
    for (auto& t : producers) t.join();
    for (auto& t : consumers) t.join();
    return seen;
}

template <class Row, class P>
void check_mpmc(const Mpmc& m) {
    SCOPED_TRACE(::testing::Message() << capacity_name(m.capacity) << ", " << m.producers << " producers, " << m.consumers
                                      << " consumers" << (m.batches ? ", batches" : ""));
    test::check_exactly_once_in_order(m.producers, m.items, run_mpmc<Row, P>(m));
}

// ---- both baselines ----------------------------------------------------------------------------

TYPED_TEST(BaselineTest, SpscFifo) {
    for (Capacity cap : capacities<TypeParam>()) check_mpmc<TypeParam, std::uint64_t>({cap, 1, 1, 20000, false});
}

TYPED_TEST(BaselineTest, ExactlyOnceMpmc2x2) {
    for (Capacity cap : capacities<TypeParam>())
        for (bool batches : {false, true}) check_mpmc<TypeParam, std::uint64_t>({cap, 2, 2, 5000, batches});
}

TYPED_TEST(BaselineTest, ExactlyOnceMpmcMoveOnly) {
    for (Capacity cap : capacities<TypeParam>()) check_mpmc<TypeParam, Ptr>({cap, 2, 2, 2000, true});
}

// A move-only payload through every single-item and batch operation: each value moves out of the
// caller and arrives intact.
TYPED_TEST(BaselineTest, MoveOnlyPayloadThroughEveryOperation) {
    static_assert(TypeParam::template supports_payload<Ptr>);
    auto [tx, rx] = make_channel<TypeParam, Ptr>(unbounded);
    ASSERT_TRUE(tx.send(std::make_unique<std::uint64_t>(0)).sent());
    ASSERT_TRUE(tx.try_send(std::make_unique<std::uint64_t>(1)).sent());
    if constexpr (TypeParam::info.timed_waits) ASSERT_TRUE(tx.send_for(std::make_unique<std::uint64_t>(2), 1s).sent());
    else ASSERT_TRUE(tx.send(std::make_unique<std::uint64_t>(2)).sent());
    std::vector<Ptr> batch;
    for (std::uint64_t i = 3; i < 8; ++i) batch.push_back(std::make_unique<std::uint64_t>(i));
    ASSERT_EQ(tx.send_batch(std::span<Ptr>(batch)), 5u);
    for (const Ptr& p : batch) EXPECT_EQ(p, nullptr) << "send_batch copied or left an item behind";

    auto a = rx.recv();
    ASSERT_TRUE(a && *a);
    EXPECT_EQ(**a, 0u);
    auto b = rx.try_recv();
    ASSERT_TRUE(b.received() && *b);
    EXPECT_EQ(**b, 1u);
    if constexpr (TypeParam::info.timed_waits) {
        auto c = rx.recv_for(1s);
        ASSERT_TRUE(c.received() && *c);
        EXPECT_EQ(**c, 2u);
    } else {
        auto c = rx.recv();
        ASSERT_TRUE(c && *c);
        EXPECT_EQ(**c, 2u);
    }
    std::vector<Ptr> out;
    ASSERT_EQ(rx.recv_batch(out, 2), 2u);
    ASSERT_EQ(rx.try_recv_batch(out, 10), 3u);
    ASSERT_EQ(out.size(), 5u);
    for (std::uint64_t i = 0; i < 5; ++i) {
        ASSERT_NE(out[i], nullptr);
        EXPECT_EQ(*out[i], i + 3);
    }
    EXPECT_TRUE(rx.try_recv().empty());
}

// A send_batch much larger than the capacity (bounded rows) against a consumer taking at most 3
// at a time: everything arrives once, in order, and no recv_batch exceeds its max.
TYPED_TEST(BaselineTest, SendBatchLargerThanCapacityAgainstRecvBatch) {
    constexpr std::uint64_t kItems = 2000;
    constexpr std::size_t kCap = 4;
    auto [tx, rx] = make_channel<TypeParam, std::uint64_t>(TypeParam::info.bounded ? Capacity(kCap) : Capacity(unbounded));
    std::vector<std::uint64_t> items(kItems);
    for (std::uint64_t i = 0; i < kItems; ++i) items[i] = i;
    std::size_t sent = 0;
    std::thread sender([&, tx = tx]() mutable { sent = tx.send_batch(std::span<std::uint64_t>(items)); });

    std::vector<std::uint64_t> got;
    [&] {
        while (got.size() < kItems) {
            const std::size_t before = got.size();
            const std::size_t n = rx.recv_batch(got, 3);
            ASSERT_GE(n, 1u);
            ASSERT_LE(n, 3u);
            ASSERT_EQ(got.size(), before + n);
            if constexpr (TypeParam::info.bounded) {
                ASSERT_LE(rx.channel().size(), kCap);
            }
        }
    }();
    if (::testing::Test::HasFatalFailure()) drop(rx);  // a bounded sender may still be blocked: release it
    sender.join();
    if (::testing::Test::HasFatalFailure()) return;
    EXPECT_EQ(sent, kItems);
    for (std::uint64_t i = 0; i < kItems; ++i) ASSERT_EQ(got[i], i);
    EXPECT_TRUE(rx.try_recv().empty());
}

// recv_batch takes what is queued (more than the moodycamel adapter's stack chunk) up to max,
// without waiting for more; try_recv_batch likewise; max 0 is rejected.
TYPED_TEST(BaselineTest, RecvBatchTakesUpToMaxAcrossChunks) {
    auto [tx, rx] = make_channel<TypeParam, std::uint64_t>(unbounded);
    std::vector<std::uint64_t> items(500);
    for (std::uint64_t i = 0; i < items.size(); ++i) items[i] = i;
    ASSERT_EQ(tx.send_batch(std::span<std::uint64_t>(items)), 500u);
    EXPECT_EQ(tx.channel().size(), 500u);

    std::vector<std::uint64_t> out;
    EXPECT_EQ(rx.recv_batch(out, 150), 150u);
    EXPECT_EQ(rx.try_recv_batch(out, 200), 200u);
    EXPECT_EQ(rx.recv_batch(out, 1000), 150u);  // would block for ever if it waited for 1000
    EXPECT_EQ(out, items);
    EXPECT_EQ(rx.try_recv_batch(out, 4), 0u);
    EXPECT_EQ(tx.channel().size(), 0u);
    EXPECT_THROW((void)rx.recv_batch(out, 0), std::invalid_argument);
    EXPECT_THROW((void)rx.try_recv_batch(out, 0), std::invalid_argument);
}

// recv_batch blocks while empty, then takes what one send_batch put in.
TYPED_TEST(BaselineTest, RecvBatchBlocksOnlyWhileEmpty) {
    auto [tx, rx] = make_channel<TypeParam, int>(unbounded);
    std::vector<int> out;
    std::atomic<std::size_t> n{0};
    std::thread receiver([&, rx = rx]() mutable { n = rx.recv_batch(out, 10); });
    std::this_thread::sleep_for(20ms);  // moodycamel_blocking reports no waits: give it time to block
    EXPECT_EQ(n.load(), 0u);
    std::vector<int> items{7, 8, 9};
    EXPECT_EQ(tx.send_batch(std::span<int>(items)), 3u);
    receiver.join();
    EXPECT_GE(n.load(), 1u);
    std::vector<int> rest;
    (void)rx.try_recv_batch(rest, 10);  // the semaphore may have let the receiver see only part of it
    out.insert(out.end(), rest.begin(), rest.end());
    EXPECT_EQ(out, (std::vector<int>{7, 8, 9}));
}

TYPED_TEST(BaselineTest, TryOps) {
    auto [tx, rx] = make_channel<TypeParam, Ptr>(unbounded);
    auto e = rx.try_recv();
    EXPECT_TRUE(e.empty());
    EXPECT_FALSE(e.closed());
    for (std::uint64_t i = 0; i < 3; ++i) ASSERT_TRUE(tx.try_send(std::make_unique<std::uint64_t>(i)).sent());
    EXPECT_EQ(tx.channel().size(), 3u);
    for (std::uint64_t i = 0; i < 3; ++i) {
        auto r = rx.try_recv();
        ASSERT_TRUE(r.received());
        EXPECT_EQ(**r, i);
    }
    EXPECT_TRUE(rx.try_recv().empty());
}

// Timed waits give up at the deadline with the right status, and not before it.
TYPED_TEST(BaselineTest, TimedRecvTimesOut) {
    if constexpr (!TypeParam::info.timed_waits) {
        GTEST_SKIP() << TypeParam::info.name << " has no timed waits";
    } else {
        auto [tx, rx] = make_channel<TypeParam, Ptr>(unbounded);
        const auto start = std::chrono::steady_clock::now();
        auto r = rx.recv_for(40ms);
        const auto elapsed = std::chrono::steady_clock::now() - start;
        EXPECT_TRUE(r.empty());
        EXPECT_FALSE(r.closed());
        EXPECT_GE(elapsed, 39ms) << "recv_for returned before its deadline";
        EXPECT_LT(elapsed, 10s);

        EXPECT_TRUE(rx.recv_until(std::chrono::steady_clock::now() - 1s).empty());  // a deadline already passed
        EXPECT_TRUE(rx.recv_until(std::chrono::system_clock::now() + 5ms).empty());  // any clock

        ASSERT_TRUE(tx.send(std::make_unique<std::uint64_t>(5)).sent());
        auto past = rx.recv_until(std::chrono::steady_clock::now() - 1s);  // queued: a past deadline still takes it
        ASSERT_TRUE(past.received());
        EXPECT_EQ(**past, 5u);

        std::thread sender([tx = tx]() mutable {
            std::this_thread::sleep_for(20ms);
            EXPECT_TRUE(tx.send(std::make_unique<std::uint64_t>(6)).sent());
        });
        auto late = rx.recv_for(30s);
        sender.join();
        ASSERT_TRUE(late.received());
        EXPECT_EQ(**late, 6u);
    }
}

// Receivers timing out in a tight loop race with the notifies meant for a receiver that blocks
// without a deadline. A timed-out receiver may take the item it was woken for, but it must not
// leave one behind: once the timed receivers are gone, the untimed one alone must get the rest.
TYPED_TEST(BaselineTest, TimedReceiversDoNotStrandItems) {
    if constexpr (!TypeParam::info.timed_waits) {
        GTEST_SKIP() << TypeParam::info.name << " has no timed waits";
    } else {
        constexpr std::uint64_t kItems = 3000;
        auto [tx, rx] = make_channel<TypeParam, std::uint64_t>(unbounded);
        std::atomic<std::uint64_t> received{0};
        std::atomic<bool> timed_done{false}, untimed_left{false};
        std::vector<std::thread> timed;
        for (int i = 0; i < 2; ++i)
            timed.emplace_back([rx = rx, &received, &timed_done]() mutable {
                while (!timed_done.load())
                    if (auto r = rx.recv_for(std::chrono::microseconds(50)); r.received() && *r != kStop) received.fetch_add(1);
            });
        std::thread untimed([rx = rx, &received, &untimed_left]() mutable {
            while (received.load() < kItems) {
                auto v = rx.recv();
                if (!v || *v == kStop) break;
                received.fetch_add(1);
            }
            untimed_left = true;
        });
        for (std::uint64_t i = 0; i < kItems; ++i) {
            EXPECT_TRUE(tx.send(std::uint64_t{i}).sent());
            if (i % 8 == 0) std::this_thread::sleep_for(50us);  // let receivers block between bursts
        }
        timed_done = true;
        for (auto& t : timed) t.join();
        EXPECT_TRUE(eventually([&] { return received.load() >= kItems; }, 10s))
            << "received " << received.load() << " of " << kItems << " with " << tx.channel().size() << " still queued";
        while (!untimed_left.load()) {  // it may be blocked again after the last item: release it
            EXPECT_TRUE(tx.send(std::uint64_t{kStop}).sent());
            std::this_thread::sleep_for(1ms);
        }
        untimed.join();
        EXPECT_EQ(received.load(), kItems);
    }
}

TYPED_TEST(BaselineTest, InfoIsSyncOnlyAndHonest) {
    constexpr ImplInfo info = TypeParam::info;
    EXPECT_TRUE(info.sync_api);
    EXPECT_FALSE(info.async_api);
    EXPECT_TRUE(info.batches);
    EXPECT_EQ(info.timed_waits, !info.peer);  // the baselines have them; tbb's queue does not
    EXPECT_TRUE(info.unbounded);
    EXPECT_FALSE(info.cancellation);
    EXPECT_EQ(info.wake, WakePolicy::one);
    EXPECT_EQ(info.payload, PayloadLimit::nothrow_movable);
    EXPECT_FALSE(info.storage.empty());
    EXPECT_FALSE(info.cancel.empty());
    EXPECT_FALSE(info.allocation.empty());
    static_assert(TypeParam::template supports_payload<std::uint64_t>);
    static_assert(TypeParam::template supports_payload<std::string>);
    static_assert(std::is_same_v<typename TypeParam::template channel<int>::value_type, int>);

    auto [tx, rx] = make_channel<TypeParam, int>(unbounded);
    EXPECT_FALSE(tx.channel().capacity().bounded());
}

// ---- mutex_condvar ------------------------------------------------------------------------------

TEST(MutexCondvar, Info) {
    constexpr ImplInfo info = MutexCondvar::info;
    EXPECT_EQ(info.name, "mutex_condvar");
    EXPECT_TRUE(info.bounded);
    EXPECT_TRUE(info.close);
    EXPECT_EQ(info.order, Order::fifo);
    auto [tx, rx] = make_channel<MutexCondvar, int>(5);
    ASSERT_TRUE(rx.channel().capacity().bounded());
    EXPECT_EQ(rx.channel().capacity().limit(), 5u);
}

// Two producers flood a capacity-3 channel; the receiver never sees more than 3 queued.
TEST(MutexCondvar, BoundedNeverExceedsCapacity) {
    constexpr std::size_t kCap = 3;
    constexpr std::uint32_t kItems = 5000;
    auto [tx, rx] = make_channel<MutexCondvar, std::uint64_t>(kCap);
    std::vector<std::thread> producers;
    for (std::uint32_t p = 0; p < 2; ++p)
        producers.emplace_back([tx = tx, p]() mutable {
            for (std::uint32_t s = 0; s < kItems; ++s) EXPECT_TRUE(tx.send(key_of(p, s)).sent());
        });
    drop(tx);
    std::size_t most = 0;
    std::vector<std::vector<std::uint64_t>> seen(1);
    [&] {
        for (;;) {
            const std::size_t size = rx.channel().size();
            ASSERT_LE(size, kCap);
            most = std::max(most, size);
            auto v = rx.recv();
            if (!v) break;
            seen[0].push_back(*v);
        }
    }();
    if (HasFatalFailure()) drop(rx);  // release producers blocked on the full channel
    for (auto& t : producers) t.join();
    if (HasFatalFailure()) return;
    test::check_exactly_once_in_order(2, kItems, seen);
    EXPECT_GE(most, 1u);
    EXPECT_GT(rx.channel().stats().waits, 0u) << "two producers against capacity 3 never blocked";
}

TEST(MutexCondvar, TrySendOnFullHandsValueBack) {
    auto [tx, rx] = make_channel<MutexCondvar, Ptr>(1);
    ASSERT_TRUE(tx.try_send(std::make_unique<std::uint64_t>(1)).sent());
    auto f = tx.try_send(std::make_unique<std::uint64_t>(2));
    EXPECT_TRUE(f.full());
    ASSERT_NE(f.value(), nullptr);
    EXPECT_EQ(*f.value(), 2u);
    EXPECT_EQ(tx.channel().size(), 1u);
}

// send_batch of 10 into capacity 4 with nobody receiving: moves 4, then blocks with the rest.
TEST(MutexCondvar, SendBatchMovesWhatFitsThenBlocks) {
    auto [tx, rx] = make_channel<MutexCondvar, Ptr>(4);
    std::vector<Ptr> items;
    for (std::uint64_t i = 0; i < 10; ++i) items.push_back(std::make_unique<std::uint64_t>(i));
    std::size_t sent = 0;
    std::thread sender([&, tx = tx]() mutable { sent = tx.send_batch(std::span<Ptr>(items)); });
    ASSERT_TRUE(waits_reach(tx, 1));
    EXPECT_EQ(tx.channel().size(), 4u);
    for (std::uint64_t i = 0; i < 10; ++i) {
        auto v = rx.recv();
        ASSERT_TRUE(v && *v);
        EXPECT_EQ(**v, i);
        EXPECT_LE(tx.channel().size(), 4u);
    }
    sender.join();
    EXPECT_EQ(sent, 10u);
    for (auto& p : items) EXPECT_EQ(p, nullptr);
}

// A blocked receiver is woken by one send: one wait, one wake, nothing spurious.
TEST(MutexCondvar, StatsCountWaitsAndWakes) {
    auto [tx, rx] = make_channel<MutexCondvar, int>(unbounded);
    std::optional<int> got;
    std::thread receiver([&, rx = rx]() mutable { got = rx.recv(); });
    ASSERT_TRUE(waits_reach(tx, 1));
    ASSERT_TRUE(tx.send(42).sent());
    receiver.join();
    EXPECT_EQ(got, 42);
    const WaitStats s = tx.channel().stats();
    EXPECT_EQ(s.waits, 1u);
    EXPECT_EQ(s.wakes, 1u);
    EXPECT_EQ(s.spurious, 0u);
    ASSERT_TRUE(tx.send(43).sent());  // nobody waits: no notify counted
    EXPECT_EQ(tx.channel().stats().wakes, 1u);
}

// All senders gone with items queued: receivers drain, then see closed, in every form.
TEST(MutexCondvar, CloseBySendersDrainsThenClosed) {
    auto [tx, rx] = make_channel<MutexCondvar, Ptr>(8);
    for (std::uint64_t i = 0; i < 4; ++i) ASSERT_TRUE(tx.try_send(std::make_unique<std::uint64_t>(i)).sent());
    auto tx2 = tx;
    drop(tx);
    EXPECT_TRUE(rx.try_recv().received());  // tx2 keeps it open
    drop(tx2);
    auto a = rx.recv();
    ASSERT_TRUE(a && *a);
    EXPECT_EQ(**a, 1u);
    auto b = rx.recv_for(1s);
    ASSERT_TRUE(b.received());
    EXPECT_EQ(**b, 2u);
    std::vector<Ptr> out;
    ASSERT_EQ(rx.recv_batch(out, 5), 1u);
    EXPECT_EQ(*out[0], 3u);
    EXPECT_FALSE(rx.recv().has_value());
    EXPECT_TRUE(rx.try_recv().closed());
    EXPECT_TRUE(rx.recv_for(1s).closed());
    EXPECT_EQ(rx.recv_batch(out, 4), 0u);
    EXPECT_EQ(rx.try_recv_batch(out, 4), 0u);
}

// All receivers gone: queued items die at once, and every send fails closed, handing values back.
TEST(MutexCondvar, CloseByReceiversDestroysQueuedAndHandsValuesBack) {
    auto [tx, rx] = make_channel<MutexCondvar, LiveCounted>(8);
    for (int i = 0; i < 5; ++i) ASSERT_TRUE(tx.try_send(LiveCounted(i)).sent());
    auto rx2 = rx;
    LiveCounted::destroyed_live = 0;
    drop(rx);
    EXPECT_EQ(LiveCounted::destroyed_live.load(), 0);
    drop(rx2);
    EXPECT_EQ(LiveCounted::destroyed_live.load(), 5);
    EXPECT_EQ(tx.channel().size(), 0u);

    auto r = tx.send(LiveCounted(42));
    EXPECT_TRUE(r.closed());
    EXPECT_EQ(r.value().value, 42);
    EXPECT_TRUE(r.value().live);
    auto t = tx.try_send(LiveCounted(43));
    EXPECT_TRUE(t.closed());
    EXPECT_EQ(t.value().value, 43);
    auto u = tx.send_for(LiveCounted(44), 1s);
    EXPECT_TRUE(u.closed());
    EXPECT_EQ(u.value().value, 44);
    std::vector<LiveCounted> batch;
    for (int i = 0; i < 3; ++i) batch.emplace_back(100 + i);
    EXPECT_EQ(tx.send_batch(std::span<LiveCounted>(batch)), 0u);
    for (int i = 0; i < 3; ++i) EXPECT_TRUE(batch[i].live);
    EXPECT_EQ(LiveCounted::destroyed_live.load(), 5);
}

// Blocked receivers (recv, recv_batch, recv_until) are all released by the last sender's drop.
TEST(MutexCondvar, LastSenderDropWakesBlockedReceivers) {
    auto [tx, rx] = make_channel<MutexCondvar, int>(4);
    std::optional<int> a = 1;
    std::size_t n = 99;
    RecvStatus timed = RecvStatus::received;
    std::thread t1([&, rx = rx]() mutable { a = rx.recv(); });
    std::thread t2([&, rx = rx]() mutable {
        std::vector<int> out;
        n = rx.recv_batch(out, 5);
    });
    std::thread t3([&, rx = rx]() mutable { timed = rx.recv_for(60s).status(); });
    ASSERT_TRUE(waits_reach(tx, 3));
    drop(tx);
    t1.join();
    t2.join();
    t3.join();
    EXPECT_FALSE(a.has_value());
    EXPECT_EQ(n, 0u);
    EXPECT_EQ(timed, RecvStatus::closed);
}

// Blocked senders (send, send_batch half-way) are released by the last receiver's drop: the value
// and the unsent tail come back.
TEST(MutexCondvar, LastReceiverDropWakesBlockedSenders) {
    auto [tx, rx] = make_channel<MutexCondvar, Ptr>(2);
    std::optional<SendResult<Ptr>> single;
    std::vector<Ptr> items;
    for (std::uint64_t i = 0; i < 5; ++i) items.push_back(std::make_unique<std::uint64_t>(i));
    std::size_t sent = 99;
    std::thread batcher([&, tx = tx]() mutable { sent = tx.send_batch(std::span<Ptr>(items)); });
    ASSERT_TRUE(waits_reach(tx, 1));  // 0 and 1 queued
    std::thread sender([&, tx = tx]() mutable { single.emplace(tx.send(std::make_unique<std::uint64_t>(77))); });
    ASSERT_TRUE(waits_reach(tx, 2));
    drop(rx);
    batcher.join();
    sender.join();
    EXPECT_EQ(sent, 2u);
    for (std::uint64_t i = 2; i < 5; ++i) {
        ASSERT_NE(items[i], nullptr);
        EXPECT_EQ(*items[i], i);
    }
    ASSERT_TRUE(single.has_value());
    EXPECT_TRUE(single->closed());
    ASSERT_NE(single->value(), nullptr);
    EXPECT_EQ(*single->value(), 77u);
}

TEST(MutexCondvar, TimedSendTimesOutAndHandsValueBack) {
    auto [tx, rx] = make_channel<MutexCondvar, Ptr>(1);
    ASSERT_TRUE(tx.send(std::make_unique<std::uint64_t>(1)).sent());
    const auto start = std::chrono::steady_clock::now();
    auto r = tx.send_for(std::make_unique<std::uint64_t>(2), 40ms);
    EXPECT_GE(std::chrono::steady_clock::now() - start, 39ms);
    EXPECT_TRUE(r.full());
    ASSERT_NE(r.value(), nullptr);
    EXPECT_EQ(*r.value(), 2u);
    EXPECT_TRUE(tx.send_until(std::make_unique<std::uint64_t>(3), std::chrono::steady_clock::now() - 1s).full());

    std::thread receiver([rx = rx]() mutable {
        std::this_thread::sleep_for(20ms);
        auto v = rx.recv();
        ASSERT_TRUE(v && *v);
        EXPECT_EQ(**v, 1u);
    });
    EXPECT_TRUE(tx.send_for(std::make_unique<std::uint64_t>(4), 30s).sent());  // room appears before the deadline
    receiver.join();
    EXPECT_EQ(tx.channel().size(), 1u);
}

// ---- moodycamel_blocking ------------------------------------------------------------------------

TEST(MoodycamelBlocking, Info) {
    constexpr ImplInfo info = Moodycamel::info;
    EXPECT_EQ(info.name, "moodycamel_blocking");
    EXPECT_FALSE(info.bounded);
    EXPECT_FALSE(info.close);
    EXPECT_EQ(info.order, Order::per_sending_thread);
}

TEST(MoodycamelBlocking, BoundedCapacityRejected) {
    for (Capacity cap : {Capacity(1), Capacity(64)}) {
        try {
            (void)make_channel<Moodycamel, int>(cap);
            ADD_FAILURE() << capacity_name(cap) << " was accepted";
        } catch (const std::invalid_argument& e) {
            EXPECT_NE(std::string(e.what()).find("moodycamel_blocking is unbounded only; pass wakerbench::unbounded"), std::string::npos)
                << e.what();
        }
    }
}

// Nothing closes: with every sender gone a receiver still sees "empty", never "closed", and with
// every receiver gone sends still succeed.
TEST(MoodycamelBlocking, NeverCloses) {
    auto [tx, rx] = make_channel<Moodycamel, int>(unbounded);
    ASSERT_TRUE(tx.send(1).sent());
    auto tx2 = tx;
    drop(tx);
    drop(tx2);
    auto a = rx.recv();
    ASSERT_TRUE(a.has_value());
    EXPECT_EQ(*a, 1);
    EXPECT_TRUE(rx.try_recv().empty());
    EXPECT_TRUE(rx.recv_for(10ms).empty());
    std::vector<int> out;
    EXPECT_EQ(rx.try_recv_batch(out, 4), 0u);

    auto [tx3, rx3] = make_channel<Moodycamel, int>(unbounded);
    drop(rx3);
    EXPECT_TRUE(tx3.send(5).sent());
    EXPECT_TRUE(tx3.try_send(6).sent());
    EXPECT_EQ(tx3.channel().size(), 2u);
}

// With no close, queued items live until the last handle of either kind deletes the channel.
TEST(MoodycamelBlocking, QueuedItemsDieWithTheLastHandle) {
    auto [tx, rx] = make_channel<Moodycamel, LiveCounted>(unbounded);
    for (int i = 0; i < 5; ++i) ASSERT_TRUE(tx.send(LiveCounted(i)).sent());
    LiveCounted::destroyed_live = 0;
    drop(rx);
    EXPECT_EQ(LiveCounted::destroyed_live.load(), 0);
    EXPECT_EQ(tx.channel().size(), 5u);
    drop(tx);
    EXPECT_EQ(LiveCounted::destroyed_live.load(), 5);
}

// send_until never waits (the queue is never full), whatever the deadline.
TEST(MoodycamelBlocking, SendUntilNeverTimesOut) {
    auto [tx, rx] = make_channel<Moodycamel, Ptr>(unbounded);
    auto r = tx.send_until(std::make_unique<std::uint64_t>(9), std::chrono::steady_clock::now() - 1s);
    EXPECT_TRUE(r.sent());
    auto v = rx.try_recv();
    ASSERT_TRUE(v.received());
    EXPECT_EQ(**v, 9u);
}

// The semaphore inside the queue exposes no counters: stats stay zero even after a real block.
TEST(MoodycamelBlocking, StatsAreNotObservable) {
    auto [tx, rx] = make_channel<Moodycamel, int>(unbounded);
    std::optional<int> got;
    std::thread receiver([&, rx = rx]() mutable { got = rx.recv(); });
    std::this_thread::sleep_for(20ms);
    ASSERT_TRUE(tx.send(3).sent());
    receiver.join();
    EXPECT_EQ(got, 3);
    const WaitStats s = tx.channel().stats();
    EXPECT_EQ(s.waits, 0u);
    EXPECT_EQ(s.wakes, 0u);
    EXPECT_EQ(s.spurious, 0u);
}

// ---- tbb (a peer) -------------------------------------------------------------------------------

TEST(TbbPeer, Info) {
    constexpr ImplInfo info = Tbb::info;
    EXPECT_EQ(info.name, "tbb");
    EXPECT_TRUE(info.peer);
    EXPECT_TRUE(info.bounded);
    EXPECT_FALSE(info.close);
    EXPECT_FALSE(info.timed_waits);
    EXPECT_FALSE(info.wait_stats);
    EXPECT_EQ(info.order, Order::fifo);
    EXPECT_FALSE(MutexCondvar::info.peer);
    EXPECT_FALSE(Moodycamel::info.peer);
    auto [tx, rx] = make_channel<Tbb, int>(5);
    ASSERT_TRUE(rx.channel().capacity().bounded());
    EXPECT_EQ(rx.channel().capacity().limit(), 5u);
}

TEST(TbbPeer, TrySendOnFullHandsValueBack) {
    auto [tx, rx] = make_channel<Tbb, Ptr>(1);
    ASSERT_TRUE(tx.try_send(std::make_unique<std::uint64_t>(1)).sent());
    auto f = tx.try_send(std::make_unique<std::uint64_t>(2));
    EXPECT_TRUE(f.full());
    ASSERT_NE(f.value(), nullptr) << "a refused try_send must not move the value away";
    EXPECT_EQ(*f.value(), 2u);
    EXPECT_EQ(tx.channel().size(), 1u);
}

// A send into a full queue blocks until a receive makes room, then goes through.
TEST(TbbPeer, SendBlocksWhileFull) {
    auto [tx, rx] = make_channel<Tbb, std::uint64_t>(2);
    ASSERT_TRUE(tx.send(0).sent());
    ASSERT_TRUE(tx.send(1).sent());
    std::atomic<bool> sent{false};
    std::thread sender([tx = tx, &sent]() mutable {
        EXPECT_TRUE(tx.send(2).sent());
        sent = true;
    });
    std::this_thread::sleep_for(20ms);
    EXPECT_FALSE(sent.load()) << "a send into a full capacity-2 queue returned without waiting";
    EXPECT_EQ(rx.recv(), std::optional<std::uint64_t>(0));
    EXPECT_TRUE(eventually([&] { return sent.load(); }));
    sender.join();
    EXPECT_EQ(rx.recv(), std::optional<std::uint64_t>(1));
    EXPECT_EQ(rx.recv(), std::optional<std::uint64_t>(2));
}

// No close: the last sender leaving does not end a receive; items stay until the last handle goes.
TEST(TbbPeer, NeverClosesAndQueuedItemsDieWithTheLastHandle) {
    // Items are copies of one shared_ptr (tbb pops into a default-constructed T): its use count
    // tells how many are alive.
    const auto token = std::make_shared<int>(7);
    auto [tx, rx] = make_channel<Tbb, std::shared_ptr<int>>(unbounded);
    for (int i = 0; i < 5; ++i) ASSERT_TRUE(tx.send(std::shared_ptr<int>(token)).sent());
    drop(tx);
    EXPECT_TRUE(rx.recv().has_value()) << "items sent before the last sender left are still there";
    std::vector<std::shared_ptr<int>> out;
    EXPECT_EQ(rx.try_recv_batch(out, 2), 2u);
    out.clear();
    EXPECT_TRUE(rx.try_recv().received());
    EXPECT_EQ(token.use_count(), 2) << "one item left queued";
    EXPECT_EQ(rx.channel().size(), 1u);
    drop(rx);
    EXPECT_EQ(token.use_count(), 1) << "the last handle deletes the channel and what it holds";
}

}  // namespace
