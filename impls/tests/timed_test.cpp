// Timed waits (recv_for/recv_until, send_for/send_until): a waiter that gives up at its deadline
// withdraws, hands the value back, and never swallows a wake-up meant for someone else.

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "rows.hpp"
#include "watchdog.hpp"
#include "wakerbench/wakerbench.hpp"

namespace wakerbench::test {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

template <class Row>
class TimedTest : public ::testing::Test {};
TYPED_TEST_SUITE(TimedTest, AllRows, RowName);

TYPED_TEST(TimedTest, RecvOnEmptyTimesOutNoEarlierThanItsDeadline) {
    auto [tx, rx] = make_channel<TypeParam, int>(4);
    const auto start = Clock::now();
    auto r = rx.recv_for(30ms);
    EXPECT_GE(Clock::now() - start, 30ms);
    EXPECT_TRUE(r.empty());
    EXPECT_EQ(tx.channel().stats().waits, 1u);
    // The timed-out waiter withdrew: a later item is there for the next receive.
    ASSERT_TRUE(tx.try_send(7).sent());
    auto t = rx.try_recv();
    ASSERT_TRUE(t.received());
    EXPECT_EQ(*t, 7);
}

TYPED_TEST(TimedTest, SendOnFullTimesOutAndHandsTheValueBack) {
    WB_WITH_PAYLOAD(TypeParam, std::string) {
        auto [tx, rx] = make_channel<TypeParam, std::string>(1);
        ASSERT_TRUE(tx.send("first").sent());
        auto r = tx.send_for(std::string(40, 'x'), 20ms);
        ASSERT_TRUE(r.full());
        EXPECT_EQ(r.value(), std::string(40, 'x'));
        EXPECT_EQ(rx.recv(), "first");
        EXPECT_TRUE(rx.try_recv().empty());
    }
}

TYPED_TEST(TimedTest, DeadlineOnAnotherClockIsHonoured) {
    auto [tx, rx] = make_channel<TypeParam, int>(unbounded);
    auto r = rx.recv_until(std::chrono::system_clock::now() + 10ms);
    EXPECT_TRUE(r.empty());
    ASSERT_TRUE(tx.send(3).sent());
    auto s = rx.recv_until(std::chrono::system_clock::now() + 10s);
    ASSERT_TRUE(s.received());
    EXPECT_EQ(*s, 3);
}

TYPED_TEST(TimedTest, TimedRecvSeesCloseAsClosedNotTimeout) {
    auto [tx, rx] = make_channel<TypeParam, int>(2);
    std::thread closer([t = std::move(tx)]() mutable {
        std::this_thread::sleep_for(5ms);
        auto gone = std::move(t);
    });
    auto r = rx.recv_for(10s);
    closer.join();
    EXPECT_TRUE(r.closed());
}

// Short timeouts racing real sends: every item arrives exactly once and in order, and a plain
// recv() on another thread never hangs, which it would if a timed-out receiver swallowed the
// wake-up handed to it instead of passing it on.
TYPED_TEST(TimedTest, TimeoutsRacingSendsLoseNothing) {
    constexpr int kItems = 6000;
    auto [tx, rx] = make_channel<TypeParam, int>(2);
    std::vector<std::atomic<int>> seen(kItems);
    std::atomic<long> timeouts{0};

    std::thread producer([t = std::move(tx)]() mutable {
        for (int i = 0; i < kItems; ++i) ASSERT_TRUE(t.send(i).sent());
    });
    std::thread timed([r = rx, &seen, &timeouts]() mutable {
        int last = -1;
        for (unsigned n = 0;; ++n) {
            auto x = r.recv_for(std::chrono::microseconds(n % 5));
            if (x.closed()) return;
            if (x.empty()) {
                ++timeouts;
                continue;
            }
            EXPECT_GT(*x, last);  // one producer: per-producer FIFO holds per consumer too
            last = *x;
            seen[static_cast<std::size_t>(*x)].fetch_add(1);
        }
    });
    std::thread plain([r = std::move(rx), &seen]() mutable {
        int last = -1;
        while (auto x = r.recv()) {
            EXPECT_GT(*x, last);
            last = *x;
            seen[static_cast<std::size_t>(*x)].fetch_add(1);
        }
    });
    producer.join();
    timed.join();
    plain.join();
    for (int i = 0; i < kItems; ++i) ASSERT_EQ(seen[static_cast<std::size_t>(i)].load(), 1) << "item " << i;
    std::printf("[ %s ] %ld timeouts raced %d sends\n", TypeParam::info.name.data(), timeouts.load(), kItems);
}

}  // namespace
}  // namespace wakerbench::test
