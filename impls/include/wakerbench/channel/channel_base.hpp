#pragma once
// What every channel flavour shares, whatever keeps its items: the split handle counts that close
// it, the counters tests and benchmarks read, and the argument check on batch receives.

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <stdexcept>

namespace wakerbench {

// How often parties had to block, for tests and benchmarks.
struct WaitStats {
    std::uint64_t waits = 0;     // times a party linked itself and blocked
    std::uint64_t wakes = 0;     // wakers taken by a notify
    std::uint64_t spurious = 0;  // woken parties that found nothing to do and waited again
};

namespace detail {

enum class Side { receivers, senders };

// Sender / receiver / handle counts for a channel `Derived` (CRTP). The last sender calls
// Derived::close(Side::senders), the last receiver Derived::close(Side::receivers), and the last
// handle deletes the channel (Derived befriends SplitCounts to allow it).
template <class Derived, class Sync>
class SplitCounts {
public:
    // Increments are relaxed: only an existing handle can make another, so the count is already
    // above zero and nothing else needs ordering (the shared_ptr argument).
    void retain_sender() noexcept {
        senders_.fetch_add(1, std::memory_order_relaxed);
        handles_.fetch_add(1, std::memory_order_relaxed);
    }
    void retain_receiver() noexcept {
        receivers_.fetch_add(1, std::memory_order_relaxed);
        handles_.fetch_add(1, std::memory_order_relaxed);
    }
    // acq_rel on the decrements: the last one must see every other handle's prior operations.
    void release_sender() noexcept {
        if (senders_.fetch_sub(1, std::memory_order_acq_rel) == 1) self().close(Side::senders);
        release_handle();
    }
    void release_receiver() noexcept {
        if (receivers_.fetch_sub(1, std::memory_order_acq_rel) == 1) self().close(Side::receivers);
        release_handle();
    }

    // An observer keeps the channel's memory alive without counting as either side, so it never
    // delays a close: for a watchdog that must read the channel's state whenever it chooses.
    void retain_observer() noexcept { handles_.fetch_add(1, std::memory_order_relaxed); }  // relaxed: as retain_sender
    void release_observer() noexcept { release_handle(); }

    // Live handles of each side, for diagnostics. relaxed: a snapshot, ordered with nothing.
    [[nodiscard]] std::size_t sender_handles() const noexcept { return senders_.load(std::memory_order_relaxed); }
    [[nodiscard]] std::size_t receiver_handles() const noexcept { return receivers_.load(std::memory_order_relaxed); }

protected:
    SplitCounts() = default;
    ~SplitCounts() = default;

private:
    Derived& self() noexcept { return static_cast<Derived&>(*this); }
    void release_handle() noexcept {
        // acq_rel: the thread that frees must see every handle's last use.
        if (handles_.fetch_sub(1, std::memory_order_acq_rel) == 1) delete &self();
    }

    typename Sync::template atomic<std::size_t> senders_{1};
    typename Sync::template atomic<std::size_t> receivers_{1};
    typename Sync::template atomic<std::size_t> handles_{2};  // a fresh channel has one of each
};

inline std::size_t check_batch_max(std::size_t max) {
    if (max == 0) throw std::invalid_argument("wakerbench: recv_batch max must be >= 1 (0 would be indistinguishable from closed)");
    return max;
}

}  // namespace detail
}  // namespace wakerbench
