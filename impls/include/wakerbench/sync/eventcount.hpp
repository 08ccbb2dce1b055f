#pragma once
// EventCount<Sync>: blocking for a condition that lives in lock-free state (a queue's item count),
// so that the common case costs the notifier one load and no lock (Vyukov's event count; folly's
// EventCount is the same idea with a futex in place of our wait list).
//
// Waiting is three steps:
//     auto key = ec.prepare();              // announce: from here on, notifiers see us
//     if (condition()) { ec.cancel(); ... } // re-check: it may have become true before we announced
//     else if (!ec.commit(key, node, waker)) retry;  // a notify came in between: re-check again
//     else sleep until the waker runs; then ec.withdraw(node) settles it
// Notifying: make the condition true, then ec.notify(n). A notifier that finds no announced waiter
// returns after one load: no lock, no system call.
//
// Contract that makes the fast path safe (a Dekker handshake): the notifier's write that makes the
// condition true and the waiter's re-check must both be seq_cst (the notifier's write typically a
// seq_cst fetch_add on a counter, the re-check a seq_cst load of it). Then in the single total
// order of seq_cst operations either the notifier's load of the state comes after the waiter's
// announcement (it sees a waiter and takes the slow path), or the waiter's re-check comes after
// the notifier's write (it sees the condition and never sleeps).
//
// Waiters (thread parkers and coroutine wakers alike) sleep in the intrusive wait list from the
// core, guarded by the event count's own mutex: the nodes live in the waiters, so waiting never
// allocates. Wakers are invoked after the mutex is released.
//
// State word: the low 32 bits count announced waiters (prepared, committed, not yet taken by a
// notify); the high 32 bits are an epoch that every slow-path notify bumps, so a waiter that
// announced before the notify and commits after it can tell, and does not sleep.

#include <cstddef>
#include <cstdint>
#include <mutex>
#include <optional>

#include "wakerbench/detail/snapshot_lock.hpp"
#include "wakerbench/sync/faults.hpp"
#include "wakerbench/waitlist/intrusive.hpp"
#include "wakerbench/waker.hpp"

namespace wakerbench {

template <class Sync>
class EventCount {
    using List = IntrusiveWaitList<Sync>;
    using Batch = typename List::Batch;
    using Lock = std::lock_guard<typename Sync::mutex>;

    static constexpr std::uint64_t kWaiter = 1;
    static constexpr std::uint64_t kWaiterMask = (std::uint64_t{1} << 32) - 1;
    static constexpr std::uint64_t kEpoch = std::uint64_t{1} << 32;

public:
    using Node = typename List::Slot;  // lives in the waiter; pinned while committed
    using Key = std::uint32_t;         // the epoch at prepare()

    EventCount() = default;
    EventCount(const EventCount&) = delete;
    EventCount& operator=(const EventCount&) = delete;

    // Announces a waiter. seq_cst: this RMW is the waiter's half of the Dekker handshake (see the
    // header) and, reading the epoch, acquires whatever the last slow-path notify published.
    [[nodiscard]] Key prepare() noexcept { return epoch_of(state_.fetch_add(kWaiter, std::memory_order_seq_cst)); }

    // The re-check after prepare() found the condition true: retract the announcement.
    // relaxed: retracting only makes later notifiers skip us, which is what we want; nothing we
    // wrote needs publishing through this word.
    void cancel() noexcept { state_.fetch_sub(kWaiter, std::memory_order_relaxed); }

    // Sleeps (links the waker) unless a notify bumped the epoch since prepare(); then it retracts
    // the announcement and returns false, and the caller re-checks. Under the mutex, so a notify
    // either runs before (we see its epoch) or after (it sees our node).
    bool commit(Key key, Node& node, Waker&& waker) noexcept {
        Lock lock(mutex_);
        // relaxed: epoch changes happen under this mutex, which orders them with this load.
        if (epoch_of(state_.load(std::memory_order_relaxed)) != key && !Sync::injects(Fault::link_without_recheck)) {
            state_.fetch_sub(kWaiter, std::memory_order_relaxed);  // relaxed: as in cancel()
            return false;
        }
        waiters_.link(node, std::move(waker));
        return true;
    }

    // A committed waiter comes back (woken, timed out or cancelled). True if a notify took it (the
    // notify also retracted its announcement); false if it was still linked: it is unlinked and
    // its announcement retracted here.
    bool withdraw(Node& node) noexcept {
        if (Sync::injects(Fault::unlink_outside_lock)) {
            if (!waiters_.unlink(node)) return true;
            state_.fetch_sub(kWaiter, std::memory_order_relaxed);
            return false;
        }
        Lock lock(mutex_);
        if (!waiters_.unlink(node)) return true;
        state_.fetch_sub(kWaiter, std::memory_order_relaxed);  // relaxed: as in cancel()
        return false;
    }

    // Wakes up to n committed waiters, oldest first, and makes every waiter still between prepare()
    // and commit() re-check. Returns how many wakers it ran. Call after making the condition true
    // with a seq_cst write (see the header).
    std::size_t notify(std::size_t n) noexcept {
        if (n == 0 || !announced()) return 0;  // the fast path: one load, no lock, no system call
        Batch batch;
        std::size_t woken = 0;
        {
            Lock lock(mutex_);
            woken = waiters_.take(n, batch, waiters_.mark());
            bump(woken);
        }
        const bool maybe_more = batch.full();  // a batch holds Sync::kWakeBatch wakers (wake_all empties it)
        batch.wake_all();
        if (maybe_more && woken < n) woken += notify(n - woken);  // rare: a bulk send or release
        return woken;
    }

    // Wakes every waiter committed before the call (not those that link again meanwhile), in
    // batches outside the mutex.
    std::size_t notify_all() noexcept {
        if (!announced()) return 0;
        std::uint64_t mark = 0;
        std::size_t woken = 0;
        for (bool first = true;; first = false) {
            Batch batch;
            std::size_t taken = 0;
            {
                Lock lock(mutex_);
                if (first) mark = waiters_.mark();
                taken = waiters_.take(static_cast<std::size_t>(-1), batch, mark);
                if (first || taken > 0) bump(taken);
            }
            const bool maybe_more = batch.full();  // wake_all empties it
            batch.wake_all();
            woken += taken;
            if (!maybe_more) return woken;
        }
    }

    // Announced waiters (committed or about to), for tests and introspection.
    [[nodiscard]] std::size_t announced() const noexcept {
        // seq_cst: the notifier's half of the Dekker handshake, ordered after its write of the
        // condition in the single total order (see the header).
        const auto order = Sync::injects(Fault::eventcount_weak_order) ? std::memory_order_acquire : std::memory_order_seq_cst;
        return static_cast<std::size_t>(state_.load(order) & kWaiterMask);
    }

    // Heap the waiters take: none, ever (their nodes live in the waiters).
    [[nodiscard]] static constexpr std::size_t heap_bytes() noexcept { return List::heap_bytes(); }

    // Waiters linked now; nullopt if the mutex stayed held (a diagnostic that must not hang).
    [[nodiscard]] std::optional<std::size_t> linked() {
        if (!detail::try_lock_for_snapshot(mutex_)) return std::nullopt;
        Lock lock(mutex_, std::adopt_lock);
        return waiters_.linked();
    }

private:
    static Key epoch_of(std::uint64_t state) noexcept { return static_cast<Key>(state >> 32); }

    // Under mutex_: a new epoch, and the announcements of the `taken` waiters retracted on their
    // behalf (they learn it from withdraw()). release: a waiter that prepares after this reads the
    // new epoch and must then also see the condition the notifier made true before notifying.
    void bump(std::size_t taken) noexcept { state_.fetch_add(kEpoch - taken * kWaiter, std::memory_order_release); }

    typename Sync::template atomic<std::uint64_t> state_{0};
    typename Sync::mutex mutex_;
    List waiters_;
};

}  // namespace wakerbench
