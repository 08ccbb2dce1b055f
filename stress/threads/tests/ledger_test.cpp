// The ledger's verdicts on hand-made fates: each failure it exists to report is reported, and each
// legitimate ending is accepted. (The seeded faults show the same on real runs; these pin down the
// cases the faults do not reach, such as a lost item or a duplicate.)
#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "ledger.hpp"

namespace {

using wakerbench::stress::Ledger;
using wakerbench::stress::Tracked;
using InFlight = std::vector<std::pair<std::uint32_t, std::uint32_t>>;

constexpr std::uint32_t kItems = 4;  // per producer; two producers

// Consumer 0 receives every item of both producers, in order, except `skipped`.
void deliver_all_but(Ledger& ledger, std::uint64_t skipped) {
    std::vector<std::int64_t> seen(2, -1);
    for (std::uint64_t id = 0; id < 2 * kItems; ++id)
        if (id != skipped) ledger.delivered(0, seen, id);
}

struct LedgerTest : ::testing::Test {
    Ledger ledger{2, kItems, /*fifo_expected=*/true};
    std::vector<std::int64_t> last_seq = std::vector<std::int64_t>(2, -1);
    std::vector<std::uint32_t> created{kItems, kItems};
    InFlight none{{0, 0}, {0, 0}};

    void deliver_all_but(std::uint64_t skipped) { ::deliver_all_but(ledger, skipped); }
    bool mentions(const std::string& text) const {
        for (const std::string& f : ledger.failures())
            if (f.find(text) != std::string::npos) return true;
        return false;
    }
};

TEST_F(LedgerTest, EverythingDeliveredPasses) {
    deliver_all_but(~0ULL);
    ledger.verify<true>(created, none);
    EXPECT_EQ(ledger.failure_count(), 0u);
}

TEST_F(LedgerTest, LostItemFails) {
    deliver_all_but(ledger.id(1, 2));
    ledger.verify<true>(created, none);
    EXPECT_TRUE(mentions("item 2 of producer 1 was lost")) << ledger.failures().size();
}

TEST_F(LedgerTest, DuplicateFailsOnArrival) {
    deliver_all_but(~0ULL);
    std::vector<std::int64_t> other(2, -1);
    ledger.delivered(1, other, ledger.id(0, 3));
    EXPECT_TRUE(mentions("received item 3 of producer 0 a second time"));
}

TEST_F(LedgerTest, OutOfOrderFails) {
    ledger.delivered(0, last_seq, ledger.id(0, 1));
    ledger.delivered(0, last_seq, ledger.id(0, 0));
    EXPECT_TRUE(mentions("per-producer FIFO broken"));
}

TEST_F(LedgerTest, OutOfOrderIsFineWhereNotPromised) {
    Ledger unordered(1, kItems, /*fifo_expected=*/false);
    std::vector<std::int64_t> seen(1, -1);
    unordered.delivered(0, seen, 1);
    unordered.delivered(0, seen, 0);
    EXPECT_EQ(unordered.failure_count(), 0u);
}

TEST_F(LedgerTest, UncreatedIdFails) {
    ledger.delivered(0, last_seq, 2 * kItems + 5);
    EXPECT_TRUE(mentions("which no producer can have created"));
    std::vector<std::uint32_t> fewer{kItems, 2};
    deliver_all_but(~0ULL);
    ledger.verify<true>(fewer, none);
    EXPECT_TRUE(mentions("item 2 of producer 1 was never created"));
}

TEST_F(LedgerTest, DestroyedInsideTheChannelFailsWhileReceiversRemain) {
    deliver_all_but(ledger.id(0, 1));
    ledger.dropped(ledger.id(0, 1));
    ledger.verify<true>(created, none);
    EXPECT_TRUE(mentions("destroyed inside the channel although receivers were still there"));
}

TEST_F(LedgerTest, DestroyedAfterReceiversLeftPasses) {
    deliver_all_but(ledger.id(0, 1));
    ledger.dropped(ledger.id(0, 1));
    ledger.receivers_left_early();
    ledger.verify<true>(created, none);
    EXPECT_EQ(ledger.failure_count(), 0u);
}

TEST_F(LedgerTest, DestroyedInACancelledSendPassesOnlyInItsRange) {
    deliver_all_but(ledger.id(1, 3));
    ledger.dropped(ledger.id(1, 3));
    ledger.verify<true>(created, InFlight{{0, 0}, {3, 4}});
    EXPECT_EQ(ledger.failure_count(), 0u);
    Ledger other(2, kItems, true);
    ::deliver_all_but(other, other.id(1, 1));
    other.dropped(other.id(1, 1));
    other.verify<true>(created, InFlight{{0, 0}, {3, 4}});
    EXPECT_EQ(other.failure_count(), 1u);
}

TEST_F(LedgerTest, HandedBackAsClosedFailsWhileReceiversRemain) {
    deliver_all_but(ledger.id(0, 0));
    ledger.returned(ledger.id(0, 0));
    ledger.verify<true>(created, none);
    EXPECT_TRUE(mentions("handed back as closed although receivers were still there"));
}

TEST_F(LedgerTest, TwoEndingsFail) {
    deliver_all_but(~0ULL);
    ledger.dropped(ledger.id(0, 2));
    ledger.verify<true>(created, none);
    EXPECT_TRUE(mentions("item 2 of producer 0 ended more than once"));
}

TEST_F(LedgerTest, WithoutDestructorsAMissingItemIsInferredOnlyWhereADropCouldBe) {
    deliver_all_but(ledger.id(0, 2));
    ledger.verify<false>(created, none);
    EXPECT_TRUE(mentions("was lost"));
    Ledger gone(2, kItems, true);
    ::deliver_all_but(gone, gone.id(0, 0));
    gone.receivers_left_early();
    gone.verify<false>(created, none);
    EXPECT_EQ(gone.failure_count(), 0u);
}

TEST_F(LedgerTest, TrackedCountsItsDestructionAsADrop) {
    wakerbench::stress::detail::current_ledger = &ledger;
    { Tracked lost(ledger.id(0, 0)); }
    {
        Tracked consumed(ledger.id(0, 1));
        Tracked moved(std::move(consumed));
        ledger.delivered(0, last_seq, moved.consume());
    }
    wakerbench::stress::detail::current_ledger = nullptr;
    for (std::uint64_t id = 2; id < 2 * kItems; ++id) ledger.delivered(0, last_seq, id);
    ledger.verify<true>(created, none);
    EXPECT_EQ(ledger.failure_count(), 1u);
    EXPECT_TRUE(mentions("item 0 of producer 0 was destroyed inside the channel"));
    EXPECT_EQ(wakerbench::stress::detail::live_payloads.load(), 0);
}

}  // namespace
