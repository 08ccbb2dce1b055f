// The synchronous channel API, for every row: ordering, exactly-once delivery, batches,
// backpressure, close in both directions, the try_* operations, argument checks, handle counts,
// and non-trivial payloads (std::string, a move-only type).

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
#include <utility>
#include <vector>

#include "rows.hpp"
#include "test_util.hpp"
#include "wakerbench/wakerbench.hpp"

namespace {

using namespace wakerbench;
using test::drop;
using test::key_of;
using test::LiveCounted;
using test::Payload;
using test::producer_of;
using test::seq_of;
using test::waits_reach;

using Ptr = std::unique_ptr<std::uint64_t>;

template <class Row>
class ChannelTest : public ::testing::Test {};
TYPED_TEST_SUITE(ChannelTest, wakerbench::test::AllRows, wakerbench::test::RowName);

// ---- the MPMC harness ------------------------------------------------------------------------

struct Mpmc {
    Capacity capacity;
    std::uint32_t producers;
    std::uint32_t consumers;
    std::uint32_t items;  // per producer
    bool batches;         // odd producers use send_batch, odd consumers use recv_batch
};

// Runs producers and consumers on real threads; returns what each consumer saw, in order.
template <class Row, class P>
std::vector<std::vector<std::uint64_t>> run_mpmc(const Mpmc& m) {
    auto [tx, rx] = make_channel<Row, P>(m.capacity);
    std::vector<std::vector<std::uint64_t>> seen(m.consumers);
    std::vector<std::thread> threads;
    for (std::uint32_t c = 0; c < m.consumers; ++c) {
        const bool batch = m.batches && c % 2 == 1;
        threads.emplace_back([rx = rx, &out = seen[c], batch]() mutable {
            if (batch) {
                std::vector<P> got;
                for (std::size_t k = 1;; k = k % 7 + 1) {  // vary max: 1..7
                    got.clear();
                    const std::size_t n = rx.recv_batch(got, k);
                    if (n == 0) break;
                    EXPECT_EQ(n, got.size());
                    EXPECT_LE(n, k);
                    for (auto& v : got) out.push_back(Payload<P>::key(v));
                }
            } else {
                while (auto v = rx.recv()) out.push_back(Payload<P>::key(*v));
            }
        });
    }
    for (std::uint32_t p = 0; p < m.producers; ++p) {
        const bool batch = m.batches && p % 2 == 1;
        threads.emplace_back([tx = tx, p, items = m.items, batch]() mutable { test::produce_keyed<P>(tx, p, items, batch); });
    }
    drop(tx);  // the producers' copies are now the only senders: the channel closes when they finish
    drop(rx);
    for (auto& t : threads) t.join();
    return seen;
}

void check_mpmc(const Mpmc& m, const std::vector<std::vector<std::uint64_t>>& seen) {
    test::check_exactly_once_in_order(m.producers, m.items, seen);
}

template <class Row, class P>
void per_producer_fifo() {
    const Mpmc m{7, 3, 2, 3000, false};
    check_mpmc(m, run_mpmc<Row, P>(m));
}

// 1. Per-producer FIFO through a small buffer.
TYPED_TEST(ChannelTest, PerProducerFifo) { per_producer_fifo<TypeParam, std::uint64_t>(); }
TYPED_TEST(ChannelTest, PerProducerFifoString) { WB_WITH_PAYLOAD(TypeParam, std::string) per_producer_fifo<TypeParam, std::string>(); }
TYPED_TEST(ChannelTest, PerProducerFifoMoveOnly) { WB_WITH_PAYLOAD(TypeParam, Ptr) per_producer_fifo<TypeParam, Ptr>(); }

// 2. Exactly-once with real threads, at the extremes of capacity, single and batch operations mixed.
TYPED_TEST(ChannelTest, ExactlyOnceMpmc) {
    const Mpmc configs[] = {
        {1, 3, 2, 2000, true},
        {1, 2, 3, 2000, false},
        {1024, 2, 3, 5000, true},
        {1024, 3, 2, 5000, false},
        {unbounded, 3, 3, 5000, true},
        {unbounded, 2, 2, 5000, false},
    };
    for (const Mpmc& m : configs) {
        SCOPED_TRACE(::testing::Message() << "capacity " << (m.capacity.bounded() ? std::to_string(m.capacity.limit()) : "unbounded")
                                          << ", " << m.producers << " producers, " << m.consumers << " consumers"
                                          << (m.batches ? ", batches" : ""));
        check_mpmc(m, run_mpmc<TypeParam, std::uint64_t>(m));
    }
}

TYPED_TEST(ChannelTest, ExactlyOnceMpmcMoveOnlyBatches) {
    WB_WITH_PAYLOAD(TypeParam, Ptr) {
        const Mpmc m{3, 2, 2, 3000, true};
        check_mpmc(m, run_mpmc<TypeParam, Ptr>(m));
    }
}

// ---- 3. batches --------------------------------------------------------------------------------

// send_batch of 10 into capacity 4 with nobody receiving: moves 4, then blocks with the rest.
TYPED_TEST(ChannelTest, SendBatchMovesWhatFitsThenBlocks) {
    WB_WITH_PAYLOAD(TypeParam, Ptr) {
        auto [tx, rx] = make_channel<TypeParam, Ptr>(4);
        std::vector<Ptr> items;
        for (std::uint64_t i = 0; i < 10; ++i) items.push_back(std::make_unique<std::uint64_t>(i));
        std::size_t sent = 0;
        std::thread sender([&, tx = tx]() mutable { sent = tx.send_batch(std::span<Ptr>(items)); });

        ASSERT_TRUE(waits_reach(tx, 1));
        EXPECT_EQ(tx.channel().size(), 4u);
        EXPECT_EQ(tx.channel().stats().waits, 1u);  // only the sender has waited

        for (std::uint64_t i = 0; i < 10; ++i) {
            auto v = rx.recv();
            ASSERT_TRUE(v.has_value());
            ASSERT_TRUE(*v);
            EXPECT_EQ(**v, i);
            EXPECT_LE(tx.channel().size(), 4u);
        }
        sender.join();
        EXPECT_EQ(sent, 10u);
        for (auto& p : items) EXPECT_EQ(p, nullptr);  // every item was moved into the channel
        EXPECT_TRUE(rx.try_recv().empty());
    }
}

// WaitStats::spurious counts "woken parties that found nothing to do and waited again". A batch
// sender woken for free slots that fills them and waits for more did useful work: not spurious.
TYPED_TEST(ChannelTest, SendBatchPartialProgressIsNotSpurious) {
    auto [tx, rx] = make_channel<TypeParam, int>(4);
    std::vector<int> items{0, 1, 2, 3, 4, 5, 6, 7, 8, 9};
    std::size_t sent = 0;
    std::thread sender([&, tx = tx]() mutable { sent = tx.send_batch(std::span<int>(items)); });
    ASSERT_TRUE(waits_reach(tx, 1));  // 0..3 queued, blocked with 4..9
    std::vector<int> out;
    ASSERT_EQ(rx.try_recv_batch(out, 4), 4u);  // frees 4 slots: the sender moves 4..7 and waits again
    ASSERT_TRUE(waits_reach(tx, 2));
    EXPECT_EQ(tx.channel().size(), 4u);
    EXPECT_EQ(tx.channel().stats().wakes, 1u);
    EXPECT_EQ(tx.channel().stats().spurious, 0u) << "a woken batch sender that moved 4 items was counted as a spurious wake";
    ASSERT_EQ(rx.try_recv_batch(out, 4), 4u);  // the sender moves 8, 9 and finishes
    sender.join();
    EXPECT_EQ(sent, 10u);
    ASSERT_EQ(rx.try_recv_batch(out, 4), 2u);
    EXPECT_EQ(out, items);
    EXPECT_EQ(tx.channel().stats().spurious, 0u);
}

// A big send_batch against a slow consumer taking at most 3 at a time: order and counts hold.
TYPED_TEST(ChannelTest, SendBatchLargerThanCapacityAgainstRecvBatch) {
    constexpr std::uint64_t kItems = 2000;
    auto [tx, rx] = make_channel<TypeParam, std::uint64_t>(4);
    std::vector<std::uint64_t> items(kItems);
    for (std::uint64_t i = 0; i < kItems; ++i) items[i] = i;
    std::size_t sent = 0;
    std::thread sender([&, tx = std::move(tx)]() mutable {
        sent = tx.send_batch(std::span<std::uint64_t>(items));
        drop(tx);
    });

    std::vector<std::uint64_t> got;
    std::size_t calls = 0;
    for (;;) {
        const std::size_t before = got.size();
        const std::size_t n = rx.recv_batch(got, 3);
        if (n == 0) break;
        ++calls;
        ASSERT_GE(n, 1u);
        ASSERT_LE(n, 3u);
        ASSERT_EQ(got.size(), before + n);
    }
    sender.join();
    EXPECT_EQ(sent, kItems);
    ASSERT_EQ(got.size(), kItems);
    for (std::uint64_t i = 0; i < kItems; ++i) ASSERT_EQ(got[i], i);
    EXPECT_GE(calls, kItems / 3);
}

// recv_batch takes what is there (up to max) without waiting for more, and appends to out.
TYPED_TEST(ChannelTest, RecvBatchTakesWhatIsAvailableUpToMax) {
    auto [tx, rx] = make_channel<TypeParam, int>(16);
    for (int i = 0; i < 3; ++i) ASSERT_TRUE(tx.try_send(int{i}).sent());
    std::vector<int> out{-1};
    EXPECT_EQ(rx.recv_batch(out, 10), 3u);  // would block for ever if it waited for 10
    EXPECT_EQ(out, (std::vector<int>{-1, 0, 1, 2}));
    EXPECT_EQ(tx.channel().stats().waits, 0u);

    for (int i = 0; i < 12; ++i) ASSERT_TRUE(tx.try_send(int{i}).sent());
    out.clear();
    EXPECT_EQ(rx.recv_batch(out, 5), 5u);
    EXPECT_EQ(rx.recv_batch(out, 5), 5u);
    EXPECT_EQ(rx.recv_batch(out, 5), 2u);
    EXPECT_EQ(out, (std::vector<int>{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}));
    EXPECT_EQ(tx.channel().size(), 0u);
}

// recv_batch blocks while empty; one send_batch of 3 releases it with all 3.
TYPED_TEST(ChannelTest, RecvBatchBlocksOnlyWhileEmpty) {
    auto [tx, rx] = make_channel<TypeParam, int>(8);
    std::vector<int> out;
    std::size_t n = 0;
    std::thread receiver([&, rx = rx]() mutable { n = rx.recv_batch(out, 10); });
    ASSERT_TRUE(waits_reach(tx, 1));
    std::vector<int> items{7, 8, 9};
    EXPECT_EQ(tx.send_batch(std::span<int>(items)), 3u);
    receiver.join();
    EXPECT_EQ(n, 3u);
    EXPECT_EQ(out, (std::vector<int>{7, 8, 9}));
}

TYPED_TEST(ChannelTest, TryRecvBatch) {
    auto [tx, rx] = make_channel<TypeParam, int>(8);
    std::vector<int> out;
    EXPECT_EQ(rx.try_recv_batch(out, 4), 0u);  // empty
    EXPECT_TRUE(out.empty());
    for (int i = 0; i < 6; ++i) ASSERT_TRUE(tx.try_send(int{i}).sent());
    EXPECT_EQ(rx.try_recv_batch(out, 4), 4u);
    EXPECT_EQ(rx.try_recv_batch(out, 4), 2u);
    EXPECT_EQ(rx.try_recv_batch(out, 4), 0u);
    EXPECT_EQ(out, (std::vector<int>{0, 1, 2, 3, 4, 5}));
    drop(tx);
    EXPECT_EQ(rx.try_recv_batch(out, 4), 0u);  // closed
    EXPECT_EQ(out.size(), 6u);
    EXPECT_EQ(rx.channel().stats().waits, 0u);
}

// A sender blocked half-way through a batch gets the count so far when the last receiver goes;
// the unsent tail stays in the caller's range.
TYPED_TEST(ChannelTest, SendBatchInterruptedByCloseKeepsTail) {
    WB_WITH_PAYLOAD(TypeParam, Ptr) {
        auto [tx, rx] = make_channel<TypeParam, Ptr>(4);
        std::vector<Ptr> items;
        for (std::uint64_t i = 0; i < 10; ++i) items.push_back(std::make_unique<std::uint64_t>(i));
        std::size_t sent = 99;
        std::thread sender([&, tx = tx]() mutable { sent = tx.send_batch(std::span<Ptr>(items)); });
        ASSERT_TRUE(waits_reach(tx, 1));
        EXPECT_EQ(tx.channel().size(), 4u);
        drop(rx);
        sender.join();
        EXPECT_EQ(sent, 4u);
        for (std::uint64_t i = 0; i < 4; ++i) EXPECT_EQ(items[i], nullptr);
        for (std::uint64_t i = 4; i < 10; ++i) {
            ASSERT_NE(items[i], nullptr) << i;
            EXPECT_EQ(*items[i], i);
        }
    }
}

// recv_batch appends through the caller's push_back, which may throw. The slots freed by the items
// taken before the throw must still reach a sender blocked on the full channel: no lost wake-up.
struct ThrowingOut {
    std::vector<int> items;
    std::size_t fail_at;  // the push_back that throws, counting from 0
    void push_back(int v) {
        if (items.size() == fail_at) throw std::runtime_error("ThrowingOut: full");
        items.push_back(v);
    }
};

TYPED_TEST(ChannelTest, RecvBatchThrowingOutputDoesNotLoseWakeups) {
    auto [tx, rx] = make_channel<TypeParam, int>(4);
    for (int i = 0; i < 4; ++i) ASSERT_TRUE(tx.try_send(int{i}).sent());
    std::atomic<bool> returned{false};
    SendStatus status = SendStatus::full;
    std::thread sender([&, tx = tx]() mutable {
        status = tx.send(4).status();
        returned = true;
    });
    ASSERT_TRUE(waits_reach(tx, 1));  // blocked on the full channel

    ThrowingOut out{{}, 2};
    EXPECT_THROW((void)rx.try_recv_batch(out, 4), std::runtime_error);
    EXPECT_EQ(out.items, (std::vector<int>{0, 1}));
    const bool woke = test::eventually([&] { return returned.load(); }, std::chrono::seconds(2));
    EXPECT_TRUE(woke) << "recv_batch freed slots, then the output threw; the blocked sender was never woken (size "
                      << tx.channel().size() << ", wakes " << tx.channel().stats().wakes << ")";
    if (!woke) drop(rx);  // release the sender so the test can finish
    sender.join();
    if (woke) {
        EXPECT_EQ(status, SendStatus::sent);
    }
}

// "Nothing is silently lost": the item whose push_back threw stays in the channel.
TYPED_TEST(ChannelTest, RecvBatchThrowingOutputLosesNoItem) {
    auto [tx, rx] = make_channel<TypeParam, int>(8);
    for (int i = 0; i < 4; ++i) ASSERT_TRUE(tx.try_send(int{i}).sent());
    ThrowingOut out{{}, 2};
    EXPECT_THROW((void)rx.try_recv_batch(out, 4), std::runtime_error);
    EXPECT_EQ(out.items, (std::vector<int>{0, 1}));
    std::vector<int> rest;
    const std::size_t n = rx.try_recv_batch(rest, 8);
    EXPECT_EQ(n, rest.size());
    EXPECT_EQ(rest, (std::vector<int>{2, 3})) << "the item being appended when push_back threw was destroyed";
}

// ---- 4. backpressure ---------------------------------------------------------------------------

TYPED_TEST(ChannelTest, BoundedBackpressure) {
    auto [tx, rx] = make_channel<TypeParam, int>(2);
    std::thread sender([tx = tx]() mutable {
        for (int i = 0; i < 5; ++i) EXPECT_TRUE(tx.send(int{i}).sent());
    });
    ASSERT_TRUE(waits_reach(tx, 1));  // the third send is blocked
    EXPECT_EQ(tx.channel().size(), 2u);
    EXPECT_TRUE(tx.try_send(100).full());
    for (int i = 0; i < 5; ++i) {
        EXPECT_LE(tx.channel().size(), 2u);
        auto v = rx.recv();
        ASSERT_TRUE(v.has_value());
        EXPECT_EQ(*v, i);
        EXPECT_LE(tx.channel().size(), 2u);
    }
    sender.join();
    EXPECT_TRUE(rx.try_recv().empty());
}

// ---- 5. close ----------------------------------------------------------------------------------

template <class Row, class P>
void senders_gone_receivers_drain() {
    auto [tx, rx] = make_channel<Row, P>(8);
    for (std::uint64_t i = 0; i < 5; ++i) ASSERT_TRUE(tx.try_send(Payload<P>::make(i)).sent());
    auto tx2 = tx;
    drop(tx);
    EXPECT_TRUE(rx.try_recv().received());  // still open: tx2
    drop(tx2);
    for (std::uint64_t i = 1; i < 5; ++i) {
        auto v = rx.recv();
        ASSERT_TRUE(v.has_value());
        EXPECT_EQ(Payload<P>::key(*v), i);
    }
    EXPECT_FALSE(rx.recv().has_value());
    EXPECT_TRUE(rx.try_recv().closed());
    std::vector<P> out;
    EXPECT_EQ(rx.recv_batch(out, 4), 0u);
    EXPECT_FALSE(rx.recv().has_value());  // and it stays closed
}

// (a) All senders gone with items queued: receivers drain, then see closed.
TYPED_TEST(ChannelTest, CloseBySendersDrainsThenClosed) { senders_gone_receivers_drain<TypeParam, std::uint64_t>(); }
TYPED_TEST(ChannelTest, CloseBySendersDrainsThenClosedString) { WB_WITH_PAYLOAD(TypeParam, std::string) senders_gone_receivers_drain<TypeParam, std::string>(); }
TYPED_TEST(ChannelTest, CloseBySendersDrainsThenClosedMoveOnly) { WB_WITH_PAYLOAD(TypeParam, Ptr) senders_gone_receivers_drain<TypeParam, Ptr>(); }

// (b) All receivers gone: queued items are destroyed at once; sends fail and hand values back.
TYPED_TEST(ChannelTest, CloseByReceiversDestroysQueuedAndFailsSends) {
    WB_WITH_PAYLOAD(TypeParam, LiveCounted) {
        auto [tx, rx] = make_channel<TypeParam, LiveCounted>(8);
        for (int i = 0; i < 5; ++i) ASSERT_TRUE(tx.try_send(LiveCounted(i)).sent());
        auto rx2 = rx;
        LiveCounted::destroyed_live = 0;
        drop(rx);
        EXPECT_EQ(LiveCounted::destroyed_live.load(), 0);  // rx2 still receives
        drop(rx2);
        EXPECT_EQ(LiveCounted::destroyed_live.load(), 5);
        EXPECT_EQ(tx.channel().size(), 0u);

        auto r = tx.send(LiveCounted(42));
        EXPECT_TRUE(r.closed());
        EXPECT_FALSE(r.sent());
        EXPECT_EQ(r.value().value, 42);
        EXPECT_TRUE(r.value().live);

        auto t = tx.try_send(LiveCounted(43));
        EXPECT_TRUE(t.closed());
        EXPECT_EQ(t.value().value, 43);
        EXPECT_TRUE(t.value().live);

        std::vector<LiveCounted> batch;
        for (int i = 0; i < 3; ++i) batch.emplace_back(100 + i);
        EXPECT_EQ(tx.send_batch(std::span<LiveCounted>(batch)), 0u);
        for (int i = 0; i < 3; ++i) {
            EXPECT_EQ(batch[i].value, 100 + i);
            EXPECT_TRUE(batch[i].live);
        }
        EXPECT_EQ(LiveCounted::destroyed_live.load(), 5);  // nothing else died inside the channel
    }
}

// state(): what the stress watchdog prints about a stuck channel. Each field must move with what
// it reports, and an observer must keep the channel readable without keeping it open.
TYPED_TEST(ChannelTest, StateReportsQueueWaitersAndCloses) {
    auto [tx, rx] = make_channel<TypeParam, std::uint64_t>(1);
    ChannelObserver observer(tx);
    ChannelState s = observer.channel().state();
    EXPECT_EQ(s.queued, 0u);
    EXPECT_EQ(s.sender_handles, 1u);
    EXPECT_EQ(s.receiver_handles, 1u);
    EXPECT_FALSE(s.lock_busy);

    ASSERT_TRUE(tx.try_send(1).sent());
    std::thread blocked_sender([tx = tx]() mutable { (void)tx.send(2); });  // full: it waits
    ASSERT_TRUE(wakerbench::test::eventually([&] { return observer.channel().state().senders_waiting == 1; }));
    s = observer.channel().state();
    EXPECT_EQ(s.queued, 1u);
    EXPECT_EQ(s.receivers_waiting, 0u);
    EXPECT_EQ(s.sender_handles, 2u);
    EXPECT_NE(to_string(s).find("senders_waiting=1"), std::string::npos) << to_string(s);

    EXPECT_EQ(rx.recv(), 1u);
    blocked_sender.join();
    EXPECT_EQ(rx.recv(), 2u);
    std::thread blocked_receiver([rx = rx]() mutable { (void)rx.recv(); });  // empty: it waits
    ASSERT_TRUE(wakerbench::test::eventually([&] { return observer.channel().state().receivers_waiting == 1; }));
    drop(tx);  // closes for receivers: the waiting one wakes and sees closed
    blocked_receiver.join();
    s = observer.channel().state();
    EXPECT_TRUE(s.senders_gone);
    EXPECT_FALSE(s.receivers_gone);
    EXPECT_EQ(s.receivers_waiting, 0u);
    EXPECT_EQ(s.sender_handles, 0u);
    drop(rx);
    s = observer.channel().state();  // the observer alone keeps it readable
    EXPECT_TRUE(s.receivers_gone);
    EXPECT_EQ(s.receiver_handles, 0u);
}

template <class Row, class P>
void receivers_gone_send_fails() {
    auto [tx, rx] = make_channel<Row, P>(4);
    ASSERT_TRUE(tx.try_send(Payload<P>::make(1)).sent());
    drop(rx);
    auto r = tx.send(Payload<P>::make(7));
    ASSERT_TRUE(r.closed());
    EXPECT_EQ(Payload<P>::key(r.value()), 7u);
    auto t = tx.try_send(Payload<P>::make(8));
    ASSERT_TRUE(t.closed());
    EXPECT_EQ(Payload<P>::key(t.value()), 8u);
    std::vector<P> batch;
    batch.push_back(Payload<P>::make(9));
    batch.push_back(Payload<P>::make(10));
    EXPECT_EQ(tx.send_batch(std::span<P>(batch)), 0u);
    EXPECT_EQ(Payload<P>::key(batch[0]), 9u);
    EXPECT_EQ(Payload<P>::key(batch[1]), 10u);
}
TYPED_TEST(ChannelTest, CloseByReceiversHandsValueBackString) { WB_WITH_PAYLOAD(TypeParam, std::string) receivers_gone_send_fails<TypeParam, std::string>(); }
TYPED_TEST(ChannelTest, CloseByReceiversHandsValueBackMoveOnly) { WB_WITH_PAYLOAD(TypeParam, Ptr) receivers_gone_send_fails<TypeParam, Ptr>(); }

// (c) A receiver blocked in recv() is woken by the last sender's drop and returns nullopt.
TYPED_TEST(ChannelTest, LastSenderDropWakesBlockedReceiver) {
    auto [tx, rx] = make_channel<TypeParam, int>(4);
    std::optional<int> got = 123;
    std::thread receiver([&, rx = rx]() mutable { got = rx.recv(); });
    ASSERT_TRUE(waits_reach(tx, 1));
    auto tx2 = tx;
    drop(tx);
    drop(tx2);
    receiver.join();
    EXPECT_FALSE(got.has_value());
    EXPECT_EQ(rx.channel().stats().spurious, 0u);
}

// Several blocked receivers (sync recv and recv_batch) are all released by the close.
TYPED_TEST(ChannelTest, LastSenderDropWakesAllBlockedReceivers) {
    auto [tx, rx] = make_channel<TypeParam, int>(4);
    std::optional<int> a = 1, b = 2;
    std::size_t n = 99;
    std::thread t1([&, rx = rx]() mutable { a = rx.recv(); });
    std::thread t2([&, rx = rx]() mutable { b = rx.recv(); });
    std::thread t3([&, rx = rx]() mutable {
        std::vector<int> out;
        n = rx.recv_batch(out, 5);
    });
    ASSERT_TRUE(waits_reach(tx, 3));
    drop(tx);
    t1.join();
    t2.join();
    t3.join();
    EXPECT_FALSE(a.has_value());
    EXPECT_FALSE(b.has_value());
    EXPECT_EQ(n, 0u);
}

// (d) A sender blocked on a full channel is woken by the last receiver's drop: closed, value back.
TYPED_TEST(ChannelTest, LastReceiverDropWakesBlockedSender) {
    WB_WITH_PAYLOAD(TypeParam, Ptr) {
        auto [tx, rx] = make_channel<TypeParam, Ptr>(1);
        ASSERT_TRUE(tx.try_send(std::make_unique<std::uint64_t>(1)).sent());
        std::optional<SendResult<Ptr>> result;
        std::thread sender([&, tx = tx]() mutable { result.emplace(tx.send(std::make_unique<std::uint64_t>(77))); });
        ASSERT_TRUE(waits_reach(tx, 1));
        drop(rx);
        sender.join();
        ASSERT_TRUE(result.has_value());
        EXPECT_TRUE(result->closed());
        ASSERT_NE(result->value(), nullptr);
        EXPECT_EQ(*result->value(), 77u);
    }
}

// ---- 6. try_* ----------------------------------------------------------------------------------

TYPED_TEST(ChannelTest, TryOpsOnEmptyFullClosed) {
    WB_WITH_PAYLOAD(TypeParam, Ptr) {
        auto [tx, rx] = make_channel<TypeParam, Ptr>(2);
        auto e = rx.try_recv();
        EXPECT_TRUE(e.empty());
        EXPECT_FALSE(e.received());
        EXPECT_FALSE(e.closed());

        EXPECT_TRUE(tx.try_send(std::make_unique<std::uint64_t>(1)).sent());
        EXPECT_TRUE(tx.try_send(std::make_unique<std::uint64_t>(2)).sent());
        auto f = tx.try_send(std::make_unique<std::uint64_t>(3));
        EXPECT_TRUE(f.full());
        EXPECT_FALSE(f.sent());
        EXPECT_FALSE(f.closed());
        ASSERT_NE(f.value(), nullptr);
        EXPECT_EQ(*f.value(), 3u);
        EXPECT_EQ(tx.channel().size(), 2u);

        auto r = rx.try_recv();
        ASSERT_TRUE(r.received());
        EXPECT_EQ(**r, 1u);

        auto tx2 = tx;
        drop(tx);
        drop(tx2);
        auto last = rx.try_recv();  // closed, but one item still queued: drain first
        ASSERT_TRUE(last.received());
        EXPECT_EQ(**last, 2u);
        EXPECT_TRUE(rx.try_recv().closed());
        EXPECT_EQ(rx.channel().stats().waits, 0u);
    }
}

TYPED_TEST(ChannelTest, TrySendOnClosedHandsValueBack) {
    WB_WITH_PAYLOAD(TypeParam, Ptr) {
        auto [tx, rx] = make_channel<TypeParam, Ptr>(2);
        drop(rx);
        auto c = tx.try_send(std::make_unique<std::uint64_t>(5));
        EXPECT_TRUE(c.closed());
        EXPECT_FALSE(c.full());
        ASSERT_NE(c.value(), nullptr);
        EXPECT_EQ(*c.value(), 5u);
    }
}

TYPED_TEST(ChannelTest, UnboundedNeverFull) {
    auto [tx, rx] = make_channel<TypeParam, int>(unbounded);
    EXPECT_FALSE(tx.channel().capacity().bounded());
    for (int i = 0; i < 10000; ++i) ASSERT_TRUE(tx.try_send(int{i}).sent());
    EXPECT_EQ(tx.channel().size(), 10000u);
    std::vector<int> out;
    EXPECT_EQ(rx.try_recv_batch(out, 20000), 10000u);
    for (int i = 0; i < 10000; ++i) ASSERT_EQ(out[i], i);
}

// A bounded channel above the preallocation threshold grows to, and stops at, its limit.
TYPED_TEST(ChannelTest, LargeBoundedCapacityIsExact) {
    constexpr std::size_t kCap = 5000;  // above the channel's kPreallocateUpTo (4096)
    auto [tx, rx] = make_channel<TypeParam, int>(kCap);
    for (std::size_t i = 0; i < kCap; ++i) ASSERT_TRUE(tx.try_send(static_cast<int>(i)).sent()) << i;
    auto f = tx.try_send(-1);
    EXPECT_TRUE(f.full());
    EXPECT_EQ(f.value(), -1);
    EXPECT_EQ(tx.channel().size(), kCap);
    for (std::size_t i = 0; i < kCap; ++i) {
        auto r = rx.try_recv();
        ASSERT_TRUE(r.received());
        ASSERT_EQ(*r, static_cast<int>(i));
    }
}

// ---- 7. argument checks ------------------------------------------------------------------------

TYPED_TEST(ChannelTest, CapacityZeroRejected) {
    try {
        (void)make_channel<TypeParam, int>(0);
        FAIL() << "capacity 0 was accepted";
    } catch (const std::invalid_argument& e) {
        const std::string what = e.what();
        EXPECT_NE(what.find("unbounded"), std::string::npos) << what;
        EXPECT_NE(what.find(">= 1"), std::string::npos) << what;
    }
    EXPECT_THROW(((void)make_channel<TypeParam, int>(std::size_t(0))), std::invalid_argument);
    try {
        (void)make_channel<TypeParam, int>(-3);
        FAIL() << "a negative capacity was accepted";
    } catch (const std::invalid_argument& e) {
        EXPECT_NE(std::string(e.what()).find("negative"), std::string::npos) << e.what();
    }
}

TYPED_TEST(ChannelTest, RecvBatchMaxZeroRejected) {
    auto [tx, rx] = make_channel<TypeParam, int>(4);
    ASSERT_TRUE(tx.try_send(1).sent());
    std::vector<int> out;
    EXPECT_THROW((void)rx.recv_batch(out, 0), std::invalid_argument);
    EXPECT_THROW((void)rx.try_recv_batch(out, 0), std::invalid_argument);
    EXPECT_TRUE(out.empty());
    EXPECT_EQ(tx.channel().size(), 1u);  // nothing was taken
    try {
        (void)rx.recv_batch(out, 0);
    } catch (const std::invalid_argument& e) {
        EXPECT_NE(std::string(e.what()).find(">= 1"), std::string::npos) << e.what();
    }
}

// ---- 8. handle copies --------------------------------------------------------------------------

TYPED_TEST(ChannelTest, SenderCopiesKeepChannelOpen) {
    auto [tx, rx] = make_channel<TypeParam, int>(8);
    auto tx2 = tx;
    Sender<typename TypeParam::template channel<int>> tx3(tx2);
    auto atx = tx.async();  // an async handle counts as a sender too
    drop(tx);
    ASSERT_TRUE(tx2.try_send(1).sent());
    drop(tx2);
    ASSERT_TRUE(tx3.try_send(2).sent());
    drop(tx3);
    EXPECT_EQ(*rx.recv(), 1);
    EXPECT_EQ(*rx.recv(), 2);
    EXPECT_TRUE(rx.try_recv().empty());  // atx is still alive
    ASSERT_TRUE(atx.try_send(3).sent());
    auto back = atx.sync();
    drop(atx);
    EXPECT_EQ(*rx.recv(), 3);
    EXPECT_TRUE(rx.try_recv().empty());  // back is still alive
    drop(back);
    EXPECT_TRUE(rx.try_recv().closed());
    EXPECT_FALSE(rx.recv().has_value());
}

TYPED_TEST(ChannelTest, ReceiverCopiesKeepChannelOpen) {
    WB_WITH_PAYLOAD(TypeParam, LiveCounted) {
        LiveCounted::destroyed_live = 0;
        {
            auto [tx, rx] = make_channel<TypeParam, LiveCounted>(8);
            auto rx2 = rx;
            auto arx = rx2.async();
            ASSERT_TRUE(tx.try_send(LiveCounted(1)).sent());
            drop(rx);
            drop(rx2);
            EXPECT_EQ(LiveCounted::destroyed_live.load(), 0);
            ASSERT_TRUE(tx.try_send(LiveCounted(2)).sent());
            auto r = arx.try_recv();
            ASSERT_TRUE(r.received());
            EXPECT_EQ(r->value, 1);
            drop(arx);  // the last receiver: item 2 dies now
            EXPECT_EQ(LiveCounted::destroyed_live.load(), 1);
            EXPECT_TRUE(tx.try_send(LiveCounted(3)).closed());
        }
        // The rejected 3 died with its SendResult; r (item 1) dies at scope exit.
        EXPECT_EQ(LiveCounted::destroyed_live.load(), 3);
    }
}

// Assigning a handle releases the one it replaces (which may close that channel).
TYPED_TEST(ChannelTest, AssignmentReleasesPreviousChannel) {
    auto [ta, ra] = make_channel<TypeParam, int>(4);
    auto [tb, rb] = make_channel<TypeParam, int>(4);
    ASSERT_TRUE(ta.try_send(1).sent());
    ta = tb;  // channel A loses its only sender
    auto r = ra.try_recv();
    ASSERT_TRUE(r.received());
    EXPECT_EQ(*r, 1);
    EXPECT_TRUE(ra.try_recv().closed());
    ASSERT_TRUE(ta.try_send(2).sent());
    EXPECT_EQ(*rb.recv(), 2);
    drop(tb);
    EXPECT_TRUE(rb.try_recv().empty());  // ta still sends to B
    ta = std::move(ta);                  // self-move-assignment keeps the handle
    ASSERT_TRUE(ta.try_send(3).sent());
    EXPECT_EQ(*rb.recv(), 3);
}

// Copying and dropping handles concurrently with traffic never closes early or leaks a count.
TYPED_TEST(ChannelTest, ConcurrentHandleChurn) {
    auto [tx, rx] = make_channel<TypeParam, int>(4);
    constexpr int kPerThread = 2000;
    std::vector<std::thread> producers;
    for (int p = 0; p < 2; ++p) {
        producers.emplace_back([tx = tx]() mutable {
            for (int i = 0; i < kPerThread; ++i) {
                auto copy = tx;  // a fresh copy per send, dropped right after
                EXPECT_TRUE(copy.send(int{i}).sent());
            }
        });
    }
    drop(tx);
    long long sum = 0, count = 0;
    while (auto v = rx.recv()) {
        sum += *v;
        ++count;
    }
    for (auto& t : producers) t.join();
    EXPECT_EQ(count, 2 * kPerThread);
    EXPECT_EQ(sum, 2LL * kPerThread * (kPerThread - 1) / 2);
}

// ---- registry --------------------------------------------------------------------------------

TYPED_TEST(ChannelTest, RegistryDescribesRow) {
    const ImplInfo& info = TypeParam::info;
    const ImplInfo* found = find_row(info.name);
    ASSERT_NE(found, nullptr);
    EXPECT_EQ(found->name, info.name);
    EXPECT_TRUE(info.bounded && info.unbounded && info.sync_api && info.async_api && info.batches && info.timed_waits && info.close &&
                info.cancellation);
    EXPECT_FALSE(describe(info.order).empty());
    EXPECT_TRUE(TypeParam::template supports_payload<std::uint64_t>);
    // The limit the registry states is the one the row's channel type accepts.
    EXPECT_EQ(TypeParam::template supports_payload<Ptr>, info.payload == PayloadLimit::nothrow_movable);
    EXPECT_EQ(TypeParam::template supports_payload<std::string>, info.payload == PayloadLimit::nothrow_movable);
    const bool wake_all = info.name == "vec" || info.name == "vec_reuse";
    EXPECT_EQ(info.wake, wake_all ? WakePolicy::all : WakePolicy::one);
}

TEST(Registry, PayloadLimitsNameTheirReason) {
    EXPECT_EQ(payload_requirement(PayloadLimit::trivially_copyable), "n/a: requires trivially copyable T");
    EXPECT_EQ(find_row("boost_lockfree")->payload, PayloadLimit::trivially_copyable);
    EXPECT_EQ(find_row("moodycamel")->payload, PayloadLimit::nothrow_movable);
}

TEST(Registry, UnknownNameIsNull) {
    EXPECT_EQ(find_row("no-such-row"), nullptr);
    EXPECT_EQ(find_impl("no-such-row"), nullptr);
}

TEST(Registry, BaselinesAreFoundButAreNotRows) {
    for (const ImplInfo& b : Baselines::infos) {
        EXPECT_EQ(find_row(b.name), nullptr) << b.name << " would run in the typed row suites";
        ASSERT_NE(find_impl(b.name), nullptr);
        EXPECT_FALSE(find_impl(b.name)->async_api) << b.name;
        EXPECT_FALSE(find_impl(b.name)->cancellation) << b.name;
    }
    EXPECT_FALSE(find_impl("moodycamel_blocking")->close);
    EXPECT_FALSE(find_impl("moodycamel_blocking")->bounded);
    EXPECT_TRUE(find_impl("mutex_condvar")->close);
}

}  // namespace
