#pragma once
// The ledger: the fate of every item of one run, recorded as it happens and checked at the end.
// Every item a producer creates must end exactly one way:
//   delivered - a consumer received it (checked on arrival: not twice, and in per-producer order);
//   returned  - a failed send handed it back to its producer, which then gave up;
//   dropped   - its payload was destroyed while it still owned the item (counted by Tracked's
//               destructor): legitimate only when the receivers left mid-flight (a receiver-side
//               close destroys what is queued) or inside the operation of a cancelled producer.
// Anything else is a failure: an item nobody saw (lost), one seen twice, one destroyed by the
// channel while receivers were still there, an id nobody created, a payload object never destroyed.

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

namespace wakerbench::stress {

class Ledger;

namespace detail {
// The ledger of the run in progress: Tracked's destructor reports to it. Set before a run's
// threads start and cleared after they are joined.
inline Ledger* current_ledger = nullptr;
// Every Tracked object constructed minus every one destroyed, moved-from shells included: zero
// once a run's channel is gone, or the channel leaked (or double-destroyed) payloads.
inline std::atomic<std::int64_t> live_payloads{0};
}  // namespace detail

// The payload of every row that can carry it: an item id, plus destructor accounting.
class Tracked {
public:
    static constexpr std::uint64_t kNone = ~std::uint64_t{0};

    explicit Tracked(std::uint64_t id) noexcept : id_(id) { count(+1); }
    Tracked(Tracked&& o) noexcept : id_(std::exchange(o.id_, kNone)) { count(+1); }
    Tracked& operator=(Tracked&& o) noexcept {
        if (this != &o) {
            release();
            id_ = std::exchange(o.id_, kNone);
        }
        return *this;
    }
    Tracked(const Tracked&) = delete;
    Tracked& operator=(const Tracked&) = delete;
    ~Tracked() {
        release();
        count(-1);
    }

    [[nodiscard]] std::uint64_t id() const noexcept { return id_; }
    // Takes the item out of the payload: destroying it afterwards is not a drop.
    std::uint64_t consume() noexcept { return std::exchange(id_, kNone); }

private:
    inline void release() noexcept;
    // relaxed: a tally read only after every thread of the run has been joined.
    static void count(std::int64_t d) noexcept { detail::live_payloads.fetch_add(d, std::memory_order_relaxed); }
    std::uint64_t id_;
};

// The payload of rows limited to trivially copyable items (boost_lockfree): no destructor, so a
// drop cannot be observed; the ledger then infers it (see Ledger::verify).
struct Plain {
    std::uint64_t id_ = 0;
    Plain() = default;
    explicit Plain(std::uint64_t id) noexcept : id_(id) {}
    [[nodiscard]] std::uint64_t id() const noexcept { return id_; }
    std::uint64_t consume() noexcept { return id_; }
};

template <class T>
inline constexpr bool kCountsDrops = std::is_same_v<T, Tracked>;

class Ledger {
public:
    static constexpr std::size_t kMaxReported = 12;

    Ledger(std::size_t producers, std::uint32_t items_per_producer, bool fifo_expected)
        : per_producer_(items_per_producer),
          delivered_(producers * items_per_producer),
          returned_(producers * items_per_producer),
          dropped_(producers * items_per_producer),
          producers_(producers),
          fifo_expected_(fifo_expected) {}

    [[nodiscard]] std::uint64_t id(std::size_t producer, std::uint32_t seq) const noexcept { return producer * per_producer_ + seq; }

    // ---- recorded while the run is in progress (any thread) ---------------------------------
    // relaxed throughout: the counts are read only after every thread has been joined, which
    // orders them; the fetch_add's atomicity alone is what detects a duplicate.
    void created(std::size_t n) noexcept { progress_.fetch_add(n, std::memory_order_relaxed); }
    void delivered(std::size_t consumer, std::vector<std::int64_t>& last_seq, std::uint64_t id) {
        progress_.fetch_add(1, std::memory_order_relaxed);
        if (!known(id)) return fail("consumer " + std::to_string(consumer) + " received item id " + std::to_string(id) + ", which no producer can have created");
        if (delivered_[id].fetch_add(1, std::memory_order_relaxed) != 0)
            fail("consumer " + std::to_string(consumer) + " received " + item(id) + " a second time");
        const std::size_t p = id / per_producer_;
        const auto seq = static_cast<std::int64_t>(id % per_producer_);
        if (fifo_expected_ && seq <= last_seq[p])
            fail("consumer " + std::to_string(consumer) + " received " + item(id) + " after item " + std::to_string(last_seq[p]) +
                 " of the same producer (per-producer FIFO broken)");
        last_seq[p] = std::max(last_seq[p], seq);
    }
    void returned(std::uint64_t id) noexcept {
        progress_.fetch_add(1, std::memory_order_relaxed);
        if (known(id)) returned_[id].fetch_add(1, std::memory_order_relaxed);
    }
    void dropped(std::uint64_t id) noexcept {
        if (known(id)) dropped_[id].fetch_add(1, std::memory_order_relaxed);
    }
    // The last receiver left without having seen the channel closed and drained: from then on
    // the channel may destroy queued items and fail sends.
    void receivers_left_early() noexcept { receivers_left_early_.store(true, std::memory_order_relaxed); }
    [[nodiscard]] bool receivers_left_early_seen() const noexcept { return receivers_left_early_.load(std::memory_order_relaxed); }
    // Items moved so far: the watchdog's measure of progress.
    [[nodiscard]] std::uint64_t progress() const noexcept { return progress_.load(std::memory_order_relaxed); }

    void fail(std::string what) {
        std::lock_guard lock(failures_mutex_);
        if (failures_.size() < kMaxReported) failures_.push_back(std::move(what));
        ++failure_count_;
    }

    // ---- after the run (every party joined, the channel destroyed) ----------------------------
    // created[p]: how many items producer p made; in_flight[p]: the ids [first, last) it was still
    // sending when it was cancelled (empty if it was not).
    template <bool kCountsDrops>
    void verify(const std::vector<std::uint32_t>& created, const std::vector<std::pair<std::uint32_t, std::uint32_t>>& in_flight) {
        const bool receivers_gone = receivers_left_early_seen();
        for (std::size_t p = 0; p < producers_; ++p) {
            for (std::uint32_t s = 0; s < per_producer_; ++s) {
                const std::uint64_t i = id(p, s);
                const unsigned d = delivered_[i].load(std::memory_order_relaxed);
                const unsigned r = returned_[i].load(std::memory_order_relaxed);
                const unsigned x = dropped_[i].load(std::memory_order_relaxed);
                if (s >= created[p]) {
                    if (d + r + x != 0) fail(item(i) + " was never created, yet delivered " + std::to_string(d) + ", returned " + std::to_string(r) + ", destroyed " + std::to_string(x));
                    continue;
                }
                const bool cancelled_send = s >= in_flight[p].first && s < in_flight[p].second;
                const bool may_vanish = receivers_gone || cancelled_send;
                if (d + r + x > 1) {
                    fail(item(i) + " ended more than once: delivered " + std::to_string(d) + ", returned " + std::to_string(r) + ", destroyed " + std::to_string(x));
                } else if (d + r + x == 0) {
                    // Without a destructor to count, a drop is invisible: allowed where one may happen.
                    if (kCountsDrops || !may_vanish) fail(item(i) + " was lost: never delivered, returned or destroyed");
                } else if (x == 1 && !may_vanish) {
                    fail(item(i) + " was destroyed inside the channel although receivers were still there");
                } else if (r == 1 && !receivers_gone) {
                    fail(item(i) + " was handed back as closed although receivers were still there");
                }
            }
        }
    }

    [[nodiscard]] std::size_t failure_count() const {
        std::lock_guard lock(failures_mutex_);
        return failure_count_;
    }
    [[nodiscard]] std::vector<std::string> failures() const {
        std::lock_guard lock(failures_mutex_);
        return failures_;
    }

private:
    [[nodiscard]] bool known(std::uint64_t id) const noexcept { return id < delivered_.size(); }
    [[nodiscard]] std::string item(std::uint64_t id) const {
        return "item " + std::to_string(id % per_producer_) + " of producer " + std::to_string(id / per_producer_);
    }

    const std::uint32_t per_producer_;
    std::vector<std::atomic<std::uint8_t>> delivered_, returned_, dropped_;
    const std::size_t producers_;
    const bool fifo_expected_;
    std::atomic<std::uint64_t> progress_{0};
    std::atomic<bool> receivers_left_early_{false};
    mutable std::mutex failures_mutex_;
    std::vector<std::string> failures_;
    std::size_t failure_count_ = 0;
};

inline void Tracked::release() noexcept {
    if (id_ != kNone && detail::current_ledger) detail::current_ledger->dropped(id_);
}

}  // namespace wakerbench::stress
