// The coroutine API, for every row: async and sync handles mixed on one channel, async batches,
// cancellation of suspended senders and receivers (a wake-up handed to a cancelled waiter is passed
// on), and close waking suspended coroutines.
//
// Coroutines here are free function templates taking handles by value: a lambda's captures would
// die before the lazy task first runs. Producers move their sender into a local so it is released
// when the body finishes: parameters live as long as the frame, and a finished root task's frame
// lives as long as its JoinHandle.

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <memory>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "rows.hpp"
#include "test_util.hpp"
#include "wakerbench/wakerbench.hpp"

namespace {

using namespace wakerbench;
using test::drop;
using test::eventually;
using test::key_of;
using test::Payload;
using test::waits_reach;

using Ptr = std::unique_ptr<std::uint64_t>;

template <class Row>
class ChannelAsyncTest : public ::testing::Test {
protected:
    static constexpr bool kWakeOne = Row::info.wake == WakePolicy::one;
};
TYPED_TEST_SUITE(ChannelAsyncTest, wakerbench::test::AllRows, wakerbench::test::RowName);

// ---- coroutines --------------------------------------------------------------------------------

template <class ATx>
rt::Task<void> produce(ATx tx_param, std::uint32_t id, std::uint32_t items, bool batch) {
    using P = typename ATx::value_type;
    {
        ATx tx = std::move(tx_param);  // released at the end of this scope, not when the frame goes
        if (batch) {
            std::vector<P> chunk;
            for (std::uint32_t seq = 0; seq < items;) {
                chunk.clear();
                const std::uint32_t n = std::min<std::uint32_t>(items - seq, 1 + seq % 11);
                for (std::uint32_t i = 0; i < n; ++i) chunk.push_back(Payload<P>::make(key_of(id, seq + i)));
                const std::size_t sent = co_await tx.send_batch(std::span<P>(chunk));
                EXPECT_EQ(sent, n);
                seq += n;
            }
        } else {
            for (std::uint32_t seq = 0; seq < items; ++seq) {
                auto r = co_await tx.send(Payload<P>::make(key_of(id, seq)));
                EXPECT_TRUE(r.sent());
            }
        }
    }
    co_return;
}

template <class ARx>
rt::Task<std::vector<std::uint64_t>> consume(ARx rx, bool batch) {
    using P = typename ARx::value_type;
    std::vector<std::uint64_t> seen;
    if (batch) {
        std::vector<P> got;
        for (std::size_t k = 1;; k = k % 5 + 1) {
            got.clear();
            const std::size_t n = co_await rx.recv_batch(got, k);
            if (n == 0) break;
            EXPECT_LE(n, k);
            EXPECT_EQ(n, got.size());
            for (auto& v : got) seen.push_back(Payload<P>::key(v));
        }
    } else {
        while (auto v = co_await rx.recv()) seen.push_back(Payload<P>::key(*v));
    }
    co_return std::move(seen);
}

template <class ARx>
rt::Task<std::optional<typename ARx::value_type>> recv_one(ARx rx) {
    co_return co_await rx.recv();
}

template <class ARx>
rt::Task<std::optional<typename ARx::value_type>> recv_one_nested(ARx rx) {
    co_return co_await recv_one(rx);  // suspended inside a child task
}

template <class ARx>
rt::Task<std::vector<typename ARx::value_type>> recv_batch_one(ARx rx, std::size_t max) {
    std::vector<typename ARx::value_type> out;
    const std::size_t n = co_await rx.recv_batch(out, max);
    EXPECT_EQ(n, out.size());
    co_return std::move(out);
}

template <class ATx>
rt::Task<SendResult<typename ATx::value_type>> send_one(ATx tx, typename ATx::value_type v) {
    co_return co_await tx.send(std::move(v));
}

template <class ATx>
rt::Task<std::size_t> send_batch_span(ATx tx, std::span<typename ATx::value_type> items) {
    co_return co_await tx.send_batch(items);
}

template <class ATx>
rt::Task<std::size_t> send_batch_owned(ATx tx, std::vector<typename ATx::value_type> items) {
    co_return co_await tx.send_batch(std::span<typename ATx::value_type>(items));
}

// ---- 10. sync and async mixed ------------------------------------------------------------------

// Coroutine producers on a pool plus a sync producer thread; coroutine consumers on the pool plus
// a sync consumer thread; every item exactly once, per-producer order per consumer (for a row that
// orders only per sending thread, only the sync producer's: pool tasks move between threads).
template <class Row>
void mixed_on_pool(Capacity cap, bool batches) {
    constexpr std::uint32_t kItems = 3000;
    auto [tx, rx] = make_channel<Row, std::uint64_t>(cap);
    rt::ThreadPool pool(2);
    auto p0 = rt::spawn(pool, produce(tx.async(), 0, kItems, false));
    auto p1 = rt::spawn(pool, produce(tx.async(), 1, kItems, batches));
    std::thread sync_producer([tx = tx, batches]() mutable {
        std::vector<std::uint64_t> chunk;
        for (std::uint32_t seq = 0; seq < kItems;) {
            if (batches && seq % 2 == 0) {
                chunk.clear();
                const std::uint32_t n = std::min<std::uint32_t>(kItems - seq, 5);
                for (std::uint32_t i = 0; i < n; ++i) chunk.push_back(key_of(2, seq + i));
                EXPECT_EQ(tx.send_batch(std::span<std::uint64_t>(chunk)), n);
                seq += n;
            } else {
                EXPECT_TRUE(tx.send(key_of(2, seq)).sent());
                ++seq;
            }
        }
    });
    auto c0 = rt::spawn(pool, consume(rx.async(), false));
    auto c1 = rt::spawn(pool, consume(rx.async(), batches));
    std::vector<std::uint64_t> sync_seen;
    std::thread sync_consumer([rx = rx, &sync_seen, batches]() mutable {
        std::vector<std::uint64_t> got;
        for (;;) {
            if (batches) {
                got.clear();
                if (rx.recv_batch(got, 4) == 0) break;
                sync_seen.insert(sync_seen.end(), got.begin(), got.end());
            } else {
                auto v = rx.recv();
                if (!v) break;
                sync_seen.push_back(*v);
            }
        }
    });
    drop(tx);
    drop(rx);
    sync_producer.join();
    p0.get();
    p1.get();
    sync_consumer.join();
    std::vector<std::vector<std::uint64_t>> seen{c0.get(), c1.get(), std::move(sync_seen)};
    test::check_exactly_once_in_order(3, kItems, seen, [](std::uint32_t p) { return Row::info.order == Order::fifo || p == 2; });
}

TYPED_TEST(ChannelAsyncTest, MixedSyncAsyncOnThreadPool) {
    for (Capacity cap : {Capacity(1), Capacity(8), Capacity(unbounded)}) {
        SCOPED_TRACE(cap.bounded() ? "capacity " + std::to_string(cap.limit()) : std::string("unbounded"));
        mixed_on_pool<TypeParam>(cap, false);
    }
}

// 11. The same with send_batch / recv_batch on both the sync and the async side.
TYPED_TEST(ChannelAsyncTest, MixedSyncAsyncBatchesOnThreadPool) {
    for (Capacity cap : {Capacity(1), Capacity(8), Capacity(unbounded)}) {
        SCOPED_TRACE(cap.bounded() ? "capacity " + std::to_string(cap.limit()) : std::string("unbounded"));
        mixed_on_pool<TypeParam>(cap, true);
    }
}

// Deterministic: a coroutine sender and a coroutine receiver take turns on one thread through a
// one-slot channel, then the main thread's sync handle feeds the same receiver.
TYPED_TEST(ChannelAsyncTest, RunLoopInterleavesSenderAndReceiver) {
    auto [tx, rx] = make_channel<TypeParam, std::uint64_t>(1);
    rt::RunLoop loop;
    auto r = rt::spawn(loop, consume(rx.async(), false));
    auto s = rt::spawn(loop, produce(tx.async(), 0, 200, false));
    loop.run_until_idle();
    EXPECT_TRUE(s.done());
    EXPECT_FALSE(r.done());  // tx keeps the channel open
    const auto mid = tx.channel().stats();
    EXPECT_GE(mid.waits, 200u);  // the one-slot channel made them take turns
    EXPECT_EQ(mid.spurious, 0u);

    for (std::uint32_t seq = 200; seq < 210; ++seq) {
        ASSERT_TRUE(tx.try_send(key_of(0, seq)).sent());
        EXPECT_TRUE(tx.try_send(key_of(9, 9)).full());
        loop.run_until_idle();  // the receiver takes it and suspends again
        EXPECT_EQ(tx.channel().size(), 0u);
    }
    EXPECT_FALSE(r.done());
    drop(tx);
    loop.run_until_idle();
    ASSERT_TRUE(r.done());
    std::vector<std::vector<std::uint64_t>> seen{r.get()};
    test::check_exactly_once_in_order(1, 210, seen);
    EXPECT_EQ(rx.channel().stats().spurious, 0u);
}

// A coroutine on a RunLoop against a sync thread: the thread's blocking send wakes the coroutine.
TYPED_TEST(ChannelAsyncTest, RunLoopCoroutineAgainstSyncThread) {
    auto [tx, rx] = make_channel<TypeParam, std::uint64_t>(2);
    rt::RunLoop loop;
    auto r = rt::spawn(loop, consume(rx.async(), true));
    std::thread producer([tx = std::move(tx)]() mutable {
        for (std::uint32_t seq = 0; seq < 2000; ++seq) EXPECT_TRUE(tx.send(key_of(0, seq)).sent());
        drop(tx);
    });
    loop.run();  // blocks while the consumer waits for the thread
    producer.join();
    ASSERT_TRUE(r.done());
    std::vector<std::vector<std::uint64_t>> seen{r.get()};
    test::check_exactly_once_in_order(1, 2000, seen);
}

// ---- 11. async batches -------------------------------------------------------------------------

TYPED_TEST(ChannelAsyncTest, AsyncSendBatchAgainstAsyncRecvBatch) {
    constexpr std::uint32_t kItems = 1000;
    auto [tx, rx] = make_channel<TypeParam, std::uint64_t>(4);
    rt::RunLoop loop;
    std::vector<std::uint64_t> items(kItems);
    for (std::uint32_t i = 0; i < kItems; ++i) items[i] = key_of(0, i);
    auto r = rt::spawn(loop, consume(rx.async(), true));
    auto s = rt::spawn(loop, send_batch_owned(tx.async(), std::move(items)));
    drop(tx);  // s holds the last sender; it is released when s's frame goes
    loop.run_until_idle();
    ASSERT_TRUE(s.done());
    EXPECT_EQ(s.get(), kItems);
    s = {};  // a finished task's frame (holding the last sender) lives until its JoinHandle goes
    loop.run_until_idle();
    ASSERT_TRUE(r.done());
    std::vector<std::vector<std::uint64_t>> seen{r.get()};
    test::check_exactly_once_in_order(1, kItems, seen);
    // One sender, one receiver, one thread: every wake finds work (the sender is only ever woken
    // for free slots, which nobody else can take; the receiver only for items).
    EXPECT_EQ(rx.channel().stats().spurious, 0u) << "wakes that made progress were counted as spurious";
}

// An async send_batch larger than the capacity moves what fits, suspends, and finishes as a sync
// receiver drains.
TYPED_TEST(ChannelAsyncTest, AsyncSendBatchMovesWhatFitsThenSuspends) {
    WB_WITH_PAYLOAD(TypeParam, Ptr) {
        auto [tx, rx] = make_channel<TypeParam, Ptr>(4);
        rt::RunLoop loop;
        std::vector<Ptr> items;
        for (std::uint64_t i = 0; i < 10; ++i) items.push_back(std::make_unique<std::uint64_t>(i));
        auto s = rt::spawn(loop, send_batch_span(tx.async(), std::span<Ptr>(items)));
        loop.run_until_idle();
        EXPECT_FALSE(s.done());
        EXPECT_EQ(tx.channel().size(), 4u);
        EXPECT_EQ(tx.channel().stats().waits, 1u);
        for (std::uint64_t i = 0; i < 10; ++i) {
            auto v = rx.try_recv();
            ASSERT_TRUE(v.received()) << i;
            EXPECT_EQ(**v, i);
            loop.run_until_idle();
        }
        ASSERT_TRUE(s.done());
        EXPECT_EQ(s.get(), 10u);
        for (auto& p : items) EXPECT_EQ(p, nullptr);
    }
}

// The last receiver leaving mid-batch: the async send_batch returns the count so far and leaves
// the tail in the caller's range.
TYPED_TEST(ChannelAsyncTest, AsyncSendBatchInterruptedByClose) {
    WB_WITH_PAYLOAD(TypeParam, Ptr) {
        auto [tx, rx] = make_channel<TypeParam, Ptr>(4);
        rt::RunLoop loop;
        std::vector<Ptr> items;
        for (std::uint64_t i = 0; i < 10; ++i) items.push_back(std::make_unique<std::uint64_t>(i));
        auto s = rt::spawn(loop, send_batch_span(tx.async(), std::span<Ptr>(items)));
        loop.run_until_idle();
        ASSERT_EQ(tx.channel().stats().waits, 1u);
        drop(rx);
        loop.run_until_idle();
        ASSERT_TRUE(s.done());
        EXPECT_EQ(s.get(), 4u);
        for (std::uint64_t i = 0; i < 4; ++i) EXPECT_EQ(items[i], nullptr);
        for (std::uint64_t i = 4; i < 10; ++i) {
            ASSERT_NE(items[i], nullptr);
            EXPECT_EQ(*items[i], i);
        }
    }
}

// Async recv_batch takes what is there without suspending, and waits only while empty.
TYPED_TEST(ChannelAsyncTest, AsyncRecvBatchTakesWhatIsAvailable) {
    auto [tx, rx] = make_channel<TypeParam, int>(8);
    rt::RunLoop loop;
    for (int i = 0; i < 3; ++i) ASSERT_TRUE(tx.try_send(int{i}).sent());
    auto a = rt::spawn(loop, recv_batch_one(rx.async(), 10));
    loop.run_until_idle();
    ASSERT_TRUE(a.done());
    EXPECT_EQ(a.get(), (std::vector<int>{0, 1, 2}));
    EXPECT_EQ(tx.channel().stats().waits, 0u);  // never suspended

    auto b = rt::spawn(loop, recv_batch_one(rx.async(), 2));
    loop.run_until_idle();
    EXPECT_FALSE(b.done());
    EXPECT_EQ(tx.channel().stats().waits, 1u);
    std::vector<int> more{5, 6, 7};
    EXPECT_EQ(tx.send_batch(std::span<int>(more)), 3u);
    loop.run_until_idle();
    ASSERT_TRUE(b.done());
    EXPECT_EQ(b.get(), (std::vector<int>{5, 6}));
    EXPECT_EQ(tx.channel().size(), 1u);
}

TYPED_TEST(ChannelAsyncTest, AsyncRecvBatchMaxZeroRejected) {
    auto [tx, rx] = make_channel<TypeParam, int>(8);
    auto arx = rx.async();
    std::vector<int> out;
    EXPECT_THROW((void)arx.recv_batch(out, 0), std::invalid_argument);
    EXPECT_THROW((void)arx.try_recv_batch(out, 0), std::invalid_argument);
    rt::RunLoop loop;
    auto h = rt::spawn(loop, recv_batch_one(rx.async(), 0));  // thrown inside the task
    loop.run_until_idle();
    ASSERT_TRUE(h.done());
    EXPECT_THROW((void)h.get(), std::invalid_argument);
    EXPECT_EQ(tx.channel().stats().waits, 0u);
}

// An output container whose push_back throws. recv_batch appends through it, so an exception can
// come out of the operation; a coroutine awaiting it must see that exception at its co_await,
// whether it was thrown on the first attempt or on the re-poll after a wake-up.
struct ThrowingOut {
    std::vector<int> items;
    std::size_t fail_at;
    void push_back(int v) {
        if (items.size() == fail_at) throw std::runtime_error("ThrowingOut: full");
        items.push_back(v);
    }
};

template <class ARx>
rt::Task<std::string> recv_batch_into_throwing(ARx rx) {
    ThrowingOut out{{}, 2};
    try {
        (void)co_await rx.recv_batch(out, 4);
    } catch (const std::runtime_error& e) {
        co_return "caught " + std::to_string(out.items.size());
    }
    co_return std::string("no exception");
}

TYPED_TEST(ChannelAsyncTest, AsyncRecvBatchOutputThrowsOnFirstPoll) {
    auto [tx, rx] = make_channel<TypeParam, int>(4);
    for (int i = 0; i < 4; ++i) ASSERT_TRUE(tx.try_send(int{i}).sent());
    rt::RunLoop loop;
    auto h = rt::spawn(loop, recv_batch_into_throwing(rx.async()));
    loop.run_until_idle();
    ASSERT_TRUE(h.done());
    EXPECT_EQ(h.get(), "caught 2");
}

// After suspending, the re-poll runs inside the executor (run_task, which is noexcept): an exception
// escaping there terminates the process instead of reaching the coroutine. Run in a child process
// so a crash fails this test only.
template <class Row>
[[noreturn]] void recv_batch_throws_after_wake() {
    bool ok = false;
    {  // everything is destroyed before exit(): LeakSanitizer cannot follow Boost.Lockfree's
       // compressed node pointers, so a channel alive at exit looks like a leak
        auto [tx, rx] = make_channel<Row, int>(4);
        rt::RunLoop loop;
        auto h = rt::spawn(loop, recv_batch_into_throwing(rx.async()));
        loop.run_until_idle();  // suspends: nothing queued yet
        std::vector<int> items{0, 1, 2, 3};
        (void)tx.send_batch(std::span<int>(items));
        loop.run_until_idle();  // the re-poll appends 0, 1, then push_back throws
        ok = h.done() && !h.cancelled() && h.get() == "caught 2";
    }
    std::fprintf(stderr, "coroutine %s\n", ok ? "caught the exception" : "did not see the exception");
    std::exit(ok ? 0 : 1);
}

TYPED_TEST(ChannelAsyncTest, AsyncRecvBatchOutputThrowsAfterWakeReachesCoroutine) {
    GTEST_FLAG_SET(death_test_style, "threadsafe");
    EXPECT_EXIT(recv_batch_throws_after_wake<TypeParam>(), ::testing::ExitedWithCode(0), "coroutine caught the exception");
}

TYPED_TEST(ChannelAsyncTest, AsyncTryOps) {
    auto [tx, rx] = make_channel<TypeParam, int>(1);
    auto atx = tx.async();
    auto arx = rx.async();
    EXPECT_TRUE(arx.try_recv().empty());
    EXPECT_TRUE(atx.try_send(1).sent());
    auto f = atx.try_send(2);
    EXPECT_TRUE(f.full());
    EXPECT_EQ(f.value(), 2);
    std::vector<int> out;
    EXPECT_EQ(arx.try_recv_batch(out, 4), 1u);
    EXPECT_EQ(out, std::vector<int>{1});
    drop(rx);
    auto keep = arx.sync();
    drop(arx);
    EXPECT_TRUE(atx.try_send(3).sent());  // keep is still a receiver
    drop(keep);
    auto c = atx.try_send(4);
    EXPECT_TRUE(c.closed());
    EXPECT_EQ(c.value(), 4);
}

// ---- 12. cancellation --------------------------------------------------------------------------

// R1 and R2 suspended; one item arrives and its wake-up goes to R1 (or to both, on wake-all rows);
// R1 is cancelled before it runs. R2 must get the item: the wake-up is passed on, not lost.
TYPED_TEST(ChannelAsyncTest, CancelNotifiedReceiverPassesWakeOn) {
    auto [tx, rx] = make_channel<TypeParam, int>(4);
    rt::RunLoop loop;
    auto h1 = rt::spawn(loop, recv_one(rx.async()));
    auto h2 = rt::spawn(loop, recv_one(rx.async()));
    loop.run_until_idle();
    ASSERT_EQ(tx.channel().stats().waits, 2u);
    ASSERT_FALSE(h1.done());
    ASSERT_FALSE(h2.done());

    ASSERT_TRUE(tx.try_send(42).sent());
    EXPECT_EQ(tx.channel().stats().wakes, this->kWakeOne ? 1u : 2u);
    h1.cancel();
    loop.run_until_idle();

    ASSERT_TRUE(h1.done());
    EXPECT_TRUE(h1.cancelled());
    EXPECT_THROW((void)h1.get(), rt::TaskCancelled);
    ASSERT_TRUE(h2.done()) << "the wake-up handed to the cancelled R1 was lost";
    EXPECT_FALSE(h2.cancelled());
    auto v = h2.get();
    ASSERT_TRUE(v.has_value());
    EXPECT_EQ(*v, 42);
    const auto st = tx.channel().stats();
    EXPECT_EQ(st.wakes, 2u);  // wake-one: R1, then the pass-on to R2; wake-all: both at once
    EXPECT_EQ(st.spurious, 0u);
    EXPECT_EQ(st.waits, 2u);
    EXPECT_EQ(tx.channel().size(), 0u);
}

// The same with the send coming from a blocking send() and R1 parked inside a child task.
TYPED_TEST(ChannelAsyncTest, CancelNotifiedNestedReceiverPassesWakeOn) {
    WB_WITH_PAYLOAD(TypeParam, Ptr) {
        auto [tx, rx] = make_channel<TypeParam, Ptr>(4);
        rt::RunLoop loop;
        auto h1 = rt::spawn(loop, recv_one_nested(rx.async()));
        auto h2 = rt::spawn(loop, recv_one_nested(rx.async()));
        loop.run_until_idle();
        ASSERT_EQ(tx.channel().stats().waits, 2u);
        ASSERT_TRUE(tx.send(std::make_unique<std::uint64_t>(42)).sent());
        h1.cancel();
        loop.run_until_idle();
        EXPECT_TRUE(h1.cancelled());
        ASSERT_TRUE(h2.done()) << "the wake-up handed to the cancelled R1 was lost";
        auto v = h2.get();
        ASSERT_TRUE(v.has_value());
        ASSERT_NE(*v, nullptr);
        EXPECT_EQ(**v, 42u);
    }
}

// R1 cancelled while merely linked (nobody has woken it): it leaves the list, and the next item's
// wake-up goes straight to R2.
TYPED_TEST(ChannelAsyncTest, CancelLinkedReceiverThenSendReachesOther) {
    auto [tx, rx] = make_channel<TypeParam, int>(4);
    rt::RunLoop loop;
    auto h1 = rt::spawn(loop, recv_one(rx.async()));
    auto h2 = rt::spawn(loop, recv_one(rx.async()));
    loop.run_until_idle();
    ASSERT_EQ(tx.channel().stats().waits, 2u);
    h1.cancel();
    loop.run_until_idle();
    ASSERT_TRUE(h1.done());
    EXPECT_TRUE(h1.cancelled());
    EXPECT_FALSE(h2.done());
    EXPECT_EQ(tx.channel().stats().wakes, 0u);

    ASSERT_TRUE(tx.try_send(7).sent());
    EXPECT_EQ(tx.channel().stats().wakes, 1u);  // only R2 is left to wake
    loop.run_until_idle();
    ASSERT_TRUE(h2.done());
    EXPECT_EQ(h2.get(), std::optional<int>(7));
    EXPECT_EQ(tx.channel().stats().spurious, 0u);
}

// Batch receivers: the wake-up of a cancelled recv_batch is passed on to the next one.
TYPED_TEST(ChannelAsyncTest, CancelNotifiedBatchReceiverPassesWakeOn) {
    auto [tx, rx] = make_channel<TypeParam, int>(8);
    rt::RunLoop loop;
    auto h1 = rt::spawn(loop, recv_batch_one(rx.async(), 4));
    auto h2 = rt::spawn(loop, recv_batch_one(rx.async(), 4));
    loop.run_until_idle();
    ASSERT_EQ(tx.channel().stats().waits, 2u);
    ASSERT_TRUE(tx.try_send(1).sent());  // one item: wake-one rows wake R1 only
    EXPECT_EQ(tx.channel().stats().wakes, this->kWakeOne ? 1u : 2u);
    h1.cancel();
    loop.run_until_idle();
    EXPECT_TRUE(h1.cancelled());
    ASSERT_TRUE(h2.done()) << "the wake-up handed to the cancelled R1 was lost";
    EXPECT_EQ(h2.get(), (std::vector<int>{1}));
}

// A cancelled coroutine's wake-up is passed on to a thread blocked in a sync recv() on the same list.
TYPED_TEST(ChannelAsyncTest, CancelledCoroutinePassesWakeToBlockedThread) {
    auto [tx, rx] = make_channel<TypeParam, int>(4);
    rt::RunLoop loop;
    auto h1 = rt::spawn(loop, recv_one(rx.async()));
    loop.run_until_idle();
    ASSERT_EQ(tx.channel().stats().waits, 1u);
    std::optional<int> got;
    std::thread blocked([&, rx = rx]() mutable { got = rx.recv(); });
    ASSERT_TRUE(waits_reach(tx, 2));
    ASSERT_TRUE(tx.try_send(5).sent());  // R1 linked first: wake-one rows wake R1 only
    h1.cancel();
    loop.run_until_idle();
    blocked.join();
    EXPECT_TRUE(h1.cancelled());
    ASSERT_TRUE(got.has_value());
    EXPECT_EQ(*got, 5);
}

// Senders: S1 and S2 suspended on a full channel; a slot frees up and its wake-up goes to S1 (or
// both); S1 is cancelled before it runs. S2 must take the slot.
TYPED_TEST(ChannelAsyncTest, CancelNotifiedSenderPassesSlotOn) {
    auto [tx, rx] = make_channel<TypeParam, int>(1);
    ASSERT_TRUE(tx.try_send(100).sent());
    rt::RunLoop loop;
    auto s1 = rt::spawn(loop, send_one(tx.async(), 1));
    auto s2 = rt::spawn(loop, send_one(tx.async(), 2));
    loop.run_until_idle();
    ASSERT_EQ(tx.channel().stats().waits, 2u);

    auto first = rx.try_recv();
    ASSERT_TRUE(first.received());
    EXPECT_EQ(*first, 100);
    EXPECT_EQ(tx.channel().stats().wakes, this->kWakeOne ? 1u : 2u);
    s1.cancel();
    loop.run_until_idle();

    EXPECT_TRUE(s1.cancelled());
    EXPECT_THROW((void)s1.get(), rt::TaskCancelled);
    ASSERT_TRUE(s2.done()) << "the slot handed to the cancelled S1 was lost";
    EXPECT_TRUE(s2.get().sent());
    EXPECT_EQ(tx.channel().size(), 1u);
    auto second = rx.try_recv();
    ASSERT_TRUE(second.received());
    EXPECT_EQ(*second, 2);
    EXPECT_TRUE(rx.try_recv().empty());
    EXPECT_EQ(tx.channel().stats().wakes, 2u);
    EXPECT_EQ(tx.channel().stats().spurious, 0u);
}

TYPED_TEST(ChannelAsyncTest, CancelLinkedSenderThenSlotReachesOther) {
    auto [tx, rx] = make_channel<TypeParam, int>(1);
    ASSERT_TRUE(tx.try_send(100).sent());
    rt::RunLoop loop;
    auto s1 = rt::spawn(loop, send_one(tx.async(), 1));
    auto s2 = rt::spawn(loop, send_one(tx.async(), 2));
    loop.run_until_idle();
    ASSERT_EQ(tx.channel().stats().waits, 2u);
    s1.cancel();
    loop.run_until_idle();
    EXPECT_TRUE(s1.cancelled());
    EXPECT_FALSE(s2.done());
    EXPECT_EQ(rx.try_recv().take(), std::optional<int>(100));
    EXPECT_EQ(tx.channel().stats().wakes, 1u);
    loop.run_until_idle();
    ASSERT_TRUE(s2.done());
    EXPECT_TRUE(s2.get().sent());
    EXPECT_EQ(rx.try_recv().take(), std::optional<int>(2));
    EXPECT_TRUE(rx.try_recv().empty());
}

// A cancelled send_batch keeps what it already sent; the slot it was woken for goes to S2.
TYPED_TEST(ChannelAsyncTest, CancelNotifiedBatchSenderPassesSlotOn) {
    auto [tx, rx] = make_channel<TypeParam, int>(4);
    rt::RunLoop loop;
    std::vector<int> items{0, 1, 2, 3, 4, 5, 6, 7, 8, 9};
    auto s1 = rt::spawn(loop, send_batch_span(tx.async(), std::span<int>(items)));
    loop.run_until_idle();
    ASSERT_EQ(tx.channel().size(), 4u);
    auto s2 = rt::spawn(loop, send_one(tx.async(), 99));
    loop.run_until_idle();
    ASSERT_EQ(tx.channel().stats().waits, 2u);
    EXPECT_EQ(rx.try_recv().take(), std::optional<int>(0));  // one slot frees: S1 (linked first) is woken
    s1.cancel();
    loop.run_until_idle();
    EXPECT_TRUE(s1.cancelled());
    ASSERT_TRUE(s2.done()) << "the slot handed to the cancelled batch sender was lost";
    EXPECT_TRUE(s2.get().sent());
    std::vector<int> rest;
    EXPECT_EQ(rx.try_recv_batch(rest, 10), 4u);
    EXPECT_EQ(rest, (std::vector<int>{1, 2, 3, 99}));
}

// Many waiters withdraw while nobody notifies (slab: enough stale FIFO tickets to trigger its
// compaction), in scrambled order; the survivors still get the items, in the order they waited.
TYPED_TEST(ChannelAsyncTest, ManyCancelledWaitersThenSend) {
    constexpr int kTasks = 150;
    auto [tx, rx] = make_channel<TypeParam, int>(unbounded);
    rt::RunLoop loop;
    std::vector<rt::JoinHandle<std::optional<int>>> hs;
    for (int round = 0; round < 2; ++round) {
        hs.clear();
        for (int i = 0; i < kTasks; ++i) hs.push_back(rt::spawn(loop, recv_one(rx.async())));
        loop.run_until_idle();
        for (int k = 0; k < kTasks; ++k) {
            const int i = (k * 37) % kTasks;  // 37 is coprime with 150: a permutation
            if (i != 17 && i != 80 && i != 149) hs[i].cancel();
        }
        loop.run_until_idle();
        const auto wakes0 = tx.channel().stats().wakes;
        for (int v = 0; v < 3; ++v) ASSERT_TRUE(tx.try_send(100 * round + v).sent());
        EXPECT_EQ(tx.channel().stats().wakes - wakes0, 3u);
        loop.run_until_idle();
        std::vector<int> got;
        for (int i = 0; i < kTasks; ++i) {
            ASSERT_TRUE(hs[i].done()) << "round " << round << ", receiver " << i;
            const bool survivor = i == 17 || i == 80 || i == 149;
            EXPECT_EQ(hs[i].cancelled(), !survivor) << i;
            if (survivor) {
                auto v = hs[i].get();
                ASSERT_TRUE(v.has_value());
                got.push_back(*v);
            }
        }
        std::sort(got.begin(), got.end());
        EXPECT_EQ(got, (std::vector<int>{100 * round, 100 * round + 1, 100 * round + 2}));
        EXPECT_EQ(tx.channel().size(), 0u);
    }
    EXPECT_EQ(tx.channel().stats().spurious, 0u);
}

TYPED_TEST(ChannelAsyncTest, CancelAfterCompletionIsNoop) {
    auto [tx, rx] = make_channel<TypeParam, int>(4);
    rt::RunLoop loop;
    ASSERT_TRUE(tx.try_send(3).sent());
    auto h = rt::spawn(loop, recv_one(rx.async()));
    loop.run_until_idle();
    ASSERT_TRUE(h.done());
    h.cancel();
    h.cancel();
    loop.run_until_idle();
    EXPECT_FALSE(h.cancelled());
    EXPECT_EQ(h.get(), std::optional<int>(3));
}

TYPED_TEST(ChannelAsyncTest, CancelBeforeFirstRun) {
    auto [tx, rx] = make_channel<TypeParam, int>(4);
    rt::RunLoop loop;
    ASSERT_TRUE(tx.try_send(3).sent());
    auto h = rt::spawn(loop, recv_one(rx.async()));
    h.cancel();
    loop.run_until_idle();
    EXPECT_TRUE(h.cancelled());
    EXPECT_EQ(tx.channel().size(), 1u);  // it never ran, so it took nothing
}

// Destroying the executor cancels suspended tasks; their waiters leave the lists cleanly.
TYPED_TEST(ChannelAsyncTest, ExecutorShutdownWithdrawsWaiters) {
    auto [tx, rx] = make_channel<TypeParam, int>(1);
    {
        rt::RunLoop loop;
        auto r = rt::spawn(loop, recv_one(rx.async()));
        loop.run_until_idle();
        ASSERT_EQ(tx.channel().stats().waits, 1u);
    }
    ASSERT_TRUE(tx.try_send(1).sent());
    {
        rt::ThreadPool pool(2);
        auto s = rt::spawn(pool, send_one(tx.async(), 2));
        ASSERT_TRUE(waits_reach(tx, 2));
    }
    EXPECT_EQ(tx.channel().size(), 1u);
    EXPECT_EQ(rx.try_recv().take(), std::optional<int>(1));
    EXPECT_TRUE(rx.try_recv().empty());
    ASSERT_TRUE(tx.try_send(3).sent());  // nobody linked is left to wake (the lists would dangle)
    EXPECT_EQ(*rx.recv(), 3);
}

// Real threads: the receiver runs on a pool while the main thread's send and a cancel race.
// Either the receiver got the item, or it was cancelled and the item is still queued.
TYPED_TEST(ChannelAsyncTest, CancelRacesWithWakeOnThreadPool) {
    rt::ThreadPool pool(2);
    int cancelled = 0, received = 0;
    for (int i = 0; i < 200; ++i) {
        auto [tx, rx] = make_channel<TypeParam, int>(4);
        auto h = rt::spawn(pool, recv_one(rx.async()));
        if (i % 4 != 0) {
            ASSERT_TRUE(waits_reach(tx, 1));  // every 4th: it may not even have run yet
        }
        std::atomic<bool> go{false};
        std::thread canceller([&] {
            while (!go.load()) std::this_thread::yield();
            h.cancel();
        });
        go = true;
        EXPECT_TRUE(tx.try_send(int{i}).sent());
        canceller.join();
        ASSERT_TRUE(eventually([&] { return h.done(); }));
        if (h.cancelled()) {
            ++cancelled;
            auto r = rx.try_recv();
            ASSERT_TRUE(r.received()) << "iteration " << i << ": the item vanished with the cancelled receiver";
            EXPECT_EQ(*r, i);
        } else {
            ++received;
            EXPECT_EQ(h.get(), std::optional<int>(i));
            EXPECT_TRUE(rx.try_recv().empty());
        }
    }
    EXPECT_EQ(cancelled + received, 200);
    std::printf("[ info ] %s: cancelled first %d, received first %d\n", TypeParam::info.name.data(), cancelled, received);
}

// Two receivers on a pool; the item's send races with R1's cancel. Whoever does not get the
// item must not swallow its wake-up: if R1 was cancelled, R2 must complete with the item.
TYPED_TEST(ChannelAsyncTest, CancelRacesWithWakePassesOnOnThreadPool) {
    rt::ThreadPool pool(2);
    int passed_on = 0;
    for (int i = 0; i < 200; ++i) {
        auto [tx, rx] = make_channel<TypeParam, int>(4);
        auto h1 = rt::spawn(pool, recv_one(rx.async()));
        auto h2 = rt::spawn(pool, recv_one(rx.async()));
        ASSERT_TRUE(waits_reach(tx, 2));
        std::atomic<bool> go{false};
        std::thread other([&] {
            while (!go.load()) std::this_thread::yield();
            if (i % 2) {
                h1.cancel();
            } else {
                EXPECT_TRUE(tx.try_send(int{i}).sent());
            }
        });
        go = true;
        if (i % 2) {
            EXPECT_TRUE(tx.try_send(int{i}).sent());
        } else {
            h1.cancel();
        }
        other.join();
        ASSERT_TRUE(eventually([&] { return h1.done(); }));
        if (h1.cancelled()) {
            ++passed_on;
            ASSERT_TRUE(eventually([&] { return h2.done(); }, std::chrono::seconds(10)))
                << "iteration " << i << ": R1 was cancelled and R2 never got the item (lost wake-up); queued: " << tx.channel().size();
            EXPECT_EQ(h2.get(), std::optional<int>(i));
        } else {
            EXPECT_EQ(h1.get(), std::optional<int>(i));
            h2.cancel();
            ASSERT_TRUE(eventually([&] { return h2.done(); }));
            EXPECT_TRUE(h2.cancelled());
        }
        EXPECT_EQ(tx.channel().size(), 0u);
    }
    std::printf("[ info ] %s: R1 cancelled before taking the item in %d of 200 races\n", TypeParam::info.name.data(), passed_on);
}

// Senders on a pool: S1 suspended on a full channel; the main thread frees the slot while S1 is
// cancelled. Either S1's value made it in, or S2's does.
TYPED_TEST(ChannelAsyncTest, CancelSenderRacesWithSlotOnThreadPool) {
    rt::ThreadPool pool(2);
    for (int i = 0; i < 200; ++i) {
        auto [tx, rx] = make_channel<TypeParam, int>(1);
        ASSERT_TRUE(tx.try_send(-1).sent());
        auto s1 = rt::spawn(pool, send_one(tx.async(), 1));
        ASSERT_TRUE(waits_reach(tx, 1));
        auto s2 = rt::spawn(pool, send_one(tx.async(), 2));
        ASSERT_TRUE(waits_reach(tx, 2));
        std::atomic<bool> go{false};
        std::thread canceller([&] {
            while (!go.load()) std::this_thread::yield();
            s1.cancel();
        });
        go = true;
        EXPECT_EQ(rx.try_recv().take(), std::optional<int>(-1));
        canceller.join();
        ASSERT_TRUE(eventually([&] { return s1.done(); }));
        if (s1.cancelled()) {
            ASSERT_TRUE(eventually([&] { return s2.done(); }, std::chrono::seconds(10)))
                << "iteration " << i << ": S1 was cancelled and S2 never got the slot (lost wake-up)";
            EXPECT_TRUE(s2.get().sent());
            EXPECT_EQ(*rx.recv(), 2);
        } else {
            EXPECT_TRUE(s1.get().sent());
            EXPECT_EQ(*rx.recv(), 1);
            ASSERT_TRUE(eventually([&] { return s2.done(); }));  // the slot freed just now goes to S2
            EXPECT_TRUE(s2.get().sent());
            EXPECT_EQ(*rx.recv(), 2);
        }
        EXPECT_TRUE(rx.try_recv().empty());
    }
}

// ---- 13. close wakes suspended coroutines --------------------------------------------------------

// More suspended receivers than one wake batch (32) plus two blocked threads: the last sender's
// drop releases every one of them with nullopt.
TYPED_TEST(ChannelAsyncTest, LastSenderDropWakesSuspendedReceivers) {
    constexpr int kTasks = 40;
    auto [tx, rx] = make_channel<TypeParam, int>(4);
    rt::RunLoop loop;
    std::vector<rt::JoinHandle<std::optional<int>>> hs;
    for (int i = 0; i < kTasks; ++i) hs.push_back(rt::spawn(loop, recv_one(rx.async())));
    loop.run_until_idle();
    ASSERT_EQ(tx.channel().stats().waits, std::uint64_t{kTasks});
    std::optional<int> t1 = 1, t2 = 2;
    std::thread a([&, rx = rx]() mutable { t1 = rx.recv(); });
    std::thread b([&, rx = rx]() mutable { t2 = rx.recv(); });
    ASSERT_TRUE(waits_reach(tx, kTasks + 2));
    for (auto& h : hs) EXPECT_FALSE(h.done());

    drop(tx);
    a.join();
    b.join();
    loop.run_until_idle();
    EXPECT_FALSE(t1.has_value());
    EXPECT_FALSE(t2.has_value());
    for (int i = 0; i < kTasks; ++i) {
        ASSERT_TRUE(hs[i].done()) << "receiver " << i << " was not woken by the close";
        EXPECT_FALSE(hs[i].get().has_value());
    }
    EXPECT_EQ(rx.channel().stats().spurious, 0u);
}

struct SendOutcome {
    bool closed;
    std::uint64_t value;  // what came back
};

template <class ATx>
rt::Task<SendOutcome> send_and_report(ATx tx, std::uint64_t v) {
    auto r = co_await tx.send(std::make_unique<std::uint64_t>(v));
    if (r.sent()) co_return SendOutcome{false, 0};
    co_return SendOutcome{r.closed(), r.value() ? *r.value() : ~std::uint64_t{0}};
}

// The last receiver's drop releases every suspended sender with closed() and its value.
TYPED_TEST(ChannelAsyncTest, LastReceiverDropWakesSuspendedSenders) {
    WB_WITH_PAYLOAD(TypeParam, Ptr) {
        constexpr int kTasks = 40;
        auto [tx, rx] = make_channel<TypeParam, Ptr>(1);
        ASSERT_TRUE(tx.try_send(std::make_unique<std::uint64_t>(0)).sent());
        rt::RunLoop loop;
        std::vector<rt::JoinHandle<SendOutcome>> hs;
        for (int i = 0; i < kTasks; ++i) hs.push_back(rt::spawn(loop, send_and_report(tx.async(), 1000 + i)));
        loop.run_until_idle();
        ASSERT_EQ(tx.channel().stats().waits, std::uint64_t{kTasks});
        drop(rx);
        loop.run_until_idle();
        for (int i = 0; i < kTasks; ++i) {
            ASSERT_TRUE(hs[i].done()) << "sender " << i << " was not woken by the close";
            const SendOutcome o = hs[i].get();
            EXPECT_TRUE(o.closed) << i;
            EXPECT_EQ(o.value, 1000u + i);
        }
    }
}

// More waiters than one wake batch, released by items rather than by a close: each receiver gets
// exactly one, and the wake-one rows (FIFO lists) serve them in the order they waited.
TYPED_TEST(ChannelAsyncTest, ManySuspendedReceiversEachGetOne) {
    constexpr int kTasks = 40;
    auto [tx, rx] = make_channel<TypeParam, int>(unbounded);
    rt::RunLoop loop;
    std::vector<rt::JoinHandle<std::optional<int>>> hs;
    for (int i = 0; i < kTasks; ++i) hs.push_back(rt::spawn(loop, recv_one(rx.async())));
    loop.run_until_idle();
    ASSERT_EQ(tx.channel().stats().waits, std::uint64_t{kTasks});
    std::vector<int> items(kTasks);
    for (int i = 0; i < kTasks; ++i) items[i] = i;
    ASSERT_EQ(tx.send_batch(std::span<int>(items)), std::size_t{kTasks});
    EXPECT_EQ(tx.channel().stats().wakes, std::uint64_t{kTasks});
    loop.run_until_idle();
    std::vector<int> count(kTasks, 0);
    for (int i = 0; i < kTasks; ++i) {
        ASSERT_TRUE(hs[i].done()) << "receiver " << i << " was not woken";
        auto v = hs[i].get();
        ASSERT_TRUE(v.has_value());
        ASSERT_GE(*v, 0);
        ASSERT_LT(*v, kTasks);
        ++count[*v];
        if (this->kWakeOne) {
            EXPECT_EQ(*v, i) << "FIFO wait list served receivers out of order";
        }
    }
    for (int i = 0; i < kTasks; ++i) EXPECT_EQ(count[i], 1) << i;
    EXPECT_EQ(tx.channel().stats().spurious, 0u);
}

}  // namespace
