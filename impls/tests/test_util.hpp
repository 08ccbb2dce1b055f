#pragma once
// Small helpers shared by the channel tests: payload types, handle dropping, polling for a party
// to block, and (watchdog.hpp) the watchdog that turns a hang into a loud failure.

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "watchdog.hpp"

namespace wakerbench::test {

// ---- handles -------------------------------------------------------------------------------

// Releases the handle's count now (a moved-from handle owns nothing). Works on structured
// bindings, which cannot be reset or destroyed by name.
template <class H>
void drop(H& h) {
    H gone(std::move(h));
}

// ---- polling ---------------------------------------------------------------------------------

// Polls pred until it holds or the deadline passes; returns whether it held. Used to learn that a
// party has blocked (its channel's stats().waits went up), never as a substitute for a join.
template <class Pred>
bool eventually(Pred pred, std::chrono::milliseconds limit = std::chrono::seconds(30)) {
    const auto deadline = std::chrono::steady_clock::now() + limit;
    while (!pred()) {
        if (std::chrono::steady_clock::now() > deadline) return false;
        std::this_thread::yield();
    }
    return true;
}

// True once the channel has counted at least n waits (a party linked itself and blocked).
template <class Handle>
bool waits_reach(const Handle& h, std::uint64_t n) {
    return eventually([&] { return h.channel().stats().waits >= n; });
}

// ---- payloads ----------------------------------------------------------------------------------

// Items carry a key (producer << 32 | seq) so every test can check exactly-once and per-producer
// order whatever the payload type.
inline std::uint64_t key_of(std::uint32_t producer, std::uint32_t seq) { return (std::uint64_t{producer} << 32) | seq; }
inline std::uint32_t producer_of(std::uint64_t key) { return static_cast<std::uint32_t>(key >> 32); }
inline std::uint32_t seq_of(std::uint64_t key) { return static_cast<std::uint32_t>(key); }

template <class P>
struct Payload;

template <>
struct Payload<std::uint64_t> {
    static std::uint64_t make(std::uint64_t key) { return key; }
    static std::uint64_t key(const std::uint64_t& v) { return v; }
};

// Long enough to live on the heap (no small-string optimisation), so ASan sees every copy/move.
template <>
struct Payload<std::string> {
    static std::string make(std::uint64_t key) { return "a-string-payload-long-enough-for-the-heap:" + std::to_string(key); }
    static std::uint64_t key(const std::string& v) { return std::stoull(v.substr(v.rfind(':') + 1)); }
};

template <>
struct Payload<std::unique_ptr<std::uint64_t>> {
    static std::unique_ptr<std::uint64_t> make(std::uint64_t key) { return std::make_unique<std::uint64_t>(key); }
    static std::uint64_t key(const std::unique_ptr<std::uint64_t>& v) { return v ? *v : ~std::uint64_t{0}; }
};

// Producer p's side of an MPMC test: sends keys (p, 0..items-1), one at a time or, with `batch`,
// in send_batch chunks of 1..13 items, and expects every send to go through.
template <class P, class Sender>
void produce_keyed(Sender& tx, std::uint32_t p, std::uint32_t items, bool batch) {
    if (!batch) {
        for (std::uint32_t seq = 0; seq < items; ++seq) EXPECT_TRUE(tx.send(Payload<P>::make(key_of(p, seq))).sent());
        return;
    }
    std::vector<P> chunk;
    for (std::uint32_t seq = 0; seq < items;) {
        chunk.clear();
        const std::uint32_t n = std::min<std::uint32_t>(items - seq, 1 + seq % 13);
        for (std::uint32_t i = 0; i < n; ++i) chunk.push_back(Payload<P>::make(key_of(p, seq + i)));
        EXPECT_EQ(tx.send_batch(std::span<P>(chunk)), n);
        seq += n;
    }
}

// Every item of every producer (keys producer 0..producers-1, seq 0..items-1) arrived exactly
// once over all consumers, and each consumer saw each producer's items in increasing order (for the
// producers `ordered` accepts: a row may promise order only per sending thread).
inline void check_exactly_once_in_order(std::uint32_t producers, std::uint32_t items,
                                        const std::vector<std::vector<std::uint64_t>>& seen,
                                        const std::function<bool(std::uint32_t)>& ordered = [](std::uint32_t) { return true; }) {
    std::vector<std::vector<int>> count(producers, std::vector<int>(items, 0));
    std::uint64_t total = 0, sum = 0;
    for (std::size_t c = 0; c < seen.size(); ++c) {
        std::vector<std::int64_t> last(producers, -1);
        for (std::uint64_t key : seen[c]) {
            const std::uint32_t p = producer_of(key), s = seq_of(key);
            ASSERT_LT(p, producers) << "bad key " << key;
            ASSERT_LT(s, items) << "bad key " << key;
            if (ordered(p)) {
                EXPECT_GT(static_cast<std::int64_t>(s), last[p]) << "consumer " << c << " saw producer " << p << " out of order";
            }
            last[p] = s;
            ++count[p][s];
            ++total;
            sum += s;
        }
    }
    EXPECT_EQ(total, std::uint64_t{producers} * items);
    EXPECT_EQ(sum, std::uint64_t{producers} * (std::uint64_t{items} * (items - 1) / 2));
    for (std::uint32_t p = 0; p < producers; ++p)
        for (std::uint32_t s = 0; s < items; ++s) ASSERT_EQ(count[p][s], 1) << "producer " << p << " seq " << s;
}

// Counts destructions of live (not moved-from) objects, to see exactly when queued items die.
struct LiveCounted {
    static inline std::atomic<int> destroyed_live{0};

    int value = 0;
    bool live = true;

    explicit LiveCounted(int v) noexcept : value(v) {}
    LiveCounted(LiveCounted&& o) noexcept : value(o.value), live(std::exchange(o.live, false)) {}
    LiveCounted& operator=(LiveCounted&& o) noexcept {
        if (this != &o) {
            if (live) destroyed_live.fetch_add(1);
            value = o.value;
            live = std::exchange(o.live, false);
        }
        return *this;
    }
    LiveCounted(const LiveCounted&) = delete;
    LiveCounted& operator=(const LiveCounted&) = delete;
    ~LiveCounted() {
        if (live) destroyed_live.fetch_add(1);
    }
};


}  // namespace wakerbench::test
