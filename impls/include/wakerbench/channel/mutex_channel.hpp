#pragma once
// MutexChannel<T, WaitList, Sync>: the batch-channel design, shared by every mutex-based row.
// One mutex guards the queue, a receiver wait list, a sender wait list and the closed flags; the
// rows differ only in WaitList. Wakers are collected under the lock and invoked after it is
// released, so no user code (an executor's schedule, a futex wake) runs under the lock.
//
// Who gets woken (the one rule every operation ends with, in rebalance()):
//   `pending` counts waiters whose waker a notify has taken but who have not yet come back under
//   the lock (to retry, or to withdraw if cancelled). After every critical section, for each side,
//   either its wait list is empty or pending >= the units of progress available (queued items for
//   receivers, free slots for senders; "everything" once the other side has gone).
// Consequences: a wake-one list wakes exactly one waiter per available item (no thundering herd);
// a notified waiter that is cancelled decrements pending under the lock, so the same rule passes
// its wake-up on to the next waiter (no lost wake-up); a wake-all list simply takes everyone.

#include <algorithm>
#include <atomic>
#include <boost/circular_buffer.hpp>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <exception>
#include <limits>
#include <mutex>
#include <optional>
#include <span>
#include <stdexcept>
#include <type_traits>
#include <utility>

#include "wakerbench/channel/capacity.hpp"
#include "wakerbench/channel/channel_api.hpp"
#include "wakerbench/channel/channel_base.hpp"
#include "wakerbench/channel/channel_state.hpp"
#include "wakerbench/channel/op_awaiter.hpp"
#include "wakerbench/channel/results.hpp"
#include "wakerbench/detail/snapshot_lock.hpp"
#include "wakerbench/sync/std_sync.hpp"
#include "wakerbench/waitlist/audited.hpp"

namespace wakerbench {

template <class T, class WaitList, class Sync = StdSync>
class MutexChannel : public detail::SplitCounts<MutexChannel<T, WaitList, Sync>, Sync>,
                     public detail::ChannelApi<MutexChannel<T, WaitList, Sync>, T, Sync> {
    // Items move under the lock, and recv_batch hands one to the caller's push_back before popping
    // it: a move that could throw would leave the queue half-updated.
    static_assert(std::is_nothrow_move_constructible_v<T>, "wakerbench: channel payloads must be nothrow move constructible");

    template <class U>
    using cell = typename Sync::template cell<U>;
    using List = detail::ListFor<WaitList, Sync>;  // the row's list, audited where Sync::kAudits
    using Slot = typename WaitList::Slot;
    using Batch = typename WaitList::Batch;
    using Lock = std::lock_guard<typename Sync::mutex>;
    static constexpr std::size_t kEverything = std::numeric_limits<std::size_t>::max();
    // Bounded queues up to this size get their whole buffer at creation; larger ones grow to it.
    static constexpr std::size_t kPreallocateUpTo = 4096;

    using Side = detail::Side;
    friend detail::SplitCounts<MutexChannel, Sync>;  // calls close(), deletes the last handle's channel
    friend detail::ChannelApi<MutexChannel, T, Sync>;  // drives the operations and waiters below

public:
    using value_type = T;
    using wait_list = WaitList;

    explicit MutexChannel(Capacity capacity) : capacity_(capacity) {
        if (capacity.bounded()) queue_.write().set_capacity(std::min(capacity.limit(), kPreallocateUpTo));
    }
    MutexChannel(const MutexChannel&) = delete;
    MutexChannel& operator=(const MutexChannel&) = delete;

    // ---- operations (what each carries and returns: channel_api.hpp) --------------------------
    struct SendOp : detail::SendState<T> {
        bool attempt(MutexChannel& c) {
            if (c.receivers_gone_.read()) return this->outcome = SendStatus::closed, true;
            if (!c.has_room()) return false;
            c.push(std::move(this->value));
            return this->outcome = SendStatus::sent, true;
        }
    };

    struct SendBatchOp : detail::SendBatchState<T> {
        bool attempt(MutexChannel& c) {
            if (c.receivers_gone_.read()) return true;  // the unsent tail stays with the caller
            for (; this->sent < this->items.size() && c.has_room(); ++this->sent) c.push(std::move(this->items[this->sent]));
            return this->sent == this->items.size();  // partial progress: rebalance wakes receivers, we wait
        }
    };

    struct RecvOp : detail::RecvState<T> {
        bool attempt(MutexChannel& c) {
            if (Sync::injects(Fault::close_overtakes_data) && c.senders_gone_.read()) return true;
            if (!c.queue_.read().empty()) return this->value.emplace(c.pop()), true;
            return c.senders_gone_.read();  // drained and closed: done, with nothing
        }
    };

    template <class Out>
    struct RecvBatchOp : detail::RecvBatchState<Out> {
        // out->push_back runs under the channel lock (the one piece of user code that does): it
        // must not block or touch this channel; reserve `out` to keep it from allocating. If it
        // throws, the item it was given stays queued and the exception reaches the caller.
        bool attempt(MutexChannel& c) {
            auto& q = c.queue_.write();
            const std::size_t n = std::min(this->max, q.size());
            for (; this->received < n; ++this->received) {
                this->out->push_back(std::move(q.front()));  // T moves without throwing, so a throw leaves it queued
                q.pop_front();
            }
            return this->received > 0 || c.senders_gone_.read();
        }
    };

    // An operation plus its wait-list node: lives on the blocked thread's stack or, inside an
    // OpAwaiter, in the coroutine frame. Pinned: the wait list may hold its node's address.
    template <class Op>
    class Waiter {
    public:
        template <class... Args>
        explicit Waiter(MutexChannel& c, Args&&... args) : chan_(c), op_{{std::forward<Args>(args)...}} {}
        // An operation whose first attempt (ChannelApi::block) could not finish it.
        Waiter(MutexChannel& c, Op&& started) : chan_(c), op_(std::move(started)) {}
        Waiter(const Waiter&) = delete;
        Waiter& operator=(const Waiter&) = delete;
        ~Waiter() {
            if (linked_ && !Sync::injects(Fault::drop_without_withdraw)) chan_.withdraw(slot_, linked_, Op::kSide);
        }

        template <class MakeWaker>
        bool poll(MakeWaker&& make_waker) {
            return chan_.poll(op_, slot_, linked_, make_waker);
        }
        // A timed-out thread: true if it was still linked and is now withdrawn; false if a notify
        // already took its waker (settled now: its wake-up has been passed on).
        bool withdraw_if_linked() { return chan_.withdraw_if_linked(slot_, linked_, Op::kSide); }
        decltype(auto) result() && { return std::move(op_).result(); }

    private:
        MutexChannel& chan_;
        Op op_;
        Slot slot_;
        bool linked_ = false;  // touched only by the waiter's own thread or task
    };

    // ---- introspection ----------------------------------------------------------------------
    [[nodiscard]] std::size_t size() {
        Lock lock(mutex_);
        return queue_.read().size();
    }
    [[nodiscard]] WaitStats stats() {
        Lock lock(mutex_);
        return stats_.read();
    }
    [[nodiscard]] Capacity capacity() const noexcept { return capacity_; }
    // For a watchdog's report: never waits long for the lock (channel_state.hpp).
    [[nodiscard]] ChannelState state() {
        ChannelState s;
        s.sender_handles = this->sender_handles();
        s.receiver_handles = this->receiver_handles();
        if (!detail::try_lock_for_snapshot(mutex_)) {
            s.lock_busy = true;
            return s;
        }
        Lock lock(mutex_, std::adopt_lock);
        s.queued = queue_.read().size();
        s.receivers_waiting = rx_waiters_.linked();
        s.senders_waiting = tx_waiters_.linked();
        s.receivers_pending = rx_pending_.read();
        s.senders_pending = tx_pending_.read();
        s.senders_gone = senders_gone_.read();
        s.receivers_gone = receivers_gone_.read();
        return s;
    }
    // Heap held by both wait lists (capacity, not size): what a burst of waiters leaves behind.
    [[nodiscard]] std::size_t wait_list_bytes() {
        Lock lock(mutex_);
        return rx_waiters_.heap_bytes() + tx_waiters_.heap_bytes();
    }

private:
    ~MutexChannel() = default;

    // One attempt under the lock, for the non-blocking operations (ChannelApi).
    template <class Op>
    [[gnu::always_inline]] bool attempt_now(Op& op) {
        bool finished = false;
        run_locked([&] { finished = op.attempt(*this); });
        return finished;
    }  // the wait lists abort if anything is still linked
    // The same only if the lock is free right now (a spinning caller's retry, ChannelApi): a busy
    // lock means someone is moving items, so spin on rather than queue on it. Queueing would also
    // mark the lock contended, and its holder's unlock would then pay a futex wake.
    template <class Op>
    [[gnu::always_inline]] bool attempt_if_free(Op& op) {
        if (!mutex_.try_lock()) return false;
        bool finished = false;
        step_holding_lock([&] { finished = op.attempt(*this); }, [] {});
        return finished;
    }

    [[nodiscard]] bool has_room() const noexcept {
        return !capacity_.bounded() || queue_.read().size() < capacity_.limit();
    }
    void push(T&& v) {
        auto& q = queue_.write();
        if (q.full()) {  // unbounded, or bounded above kPreallocateUpTo: grow, keep the high-water mark
            std::size_t grown = std::max<std::size_t>(16, 2 * q.capacity());
            if (capacity_.bounded()) grown = std::min(grown, capacity_.limit());
            q.set_capacity(grown);
        }
        q.push_back(std::move(v));
    }
    T pop() {
        auto& q = queue_.write();
        T v = std::move(q.front());
        q.pop_front();
        return v;
    }

    List& list(Side s) noexcept { return s == Side::receivers ? rx_waiters_ : tx_waiters_; }
    std::size_t& pending(Side s) noexcept { return (s == Side::receivers ? rx_pending_ : tx_pending_).write(); }

    // Wakers taken under the lock, woken after it. While a fixed batch comes back full there may
    // be more to wake: go round again, but only for waiters linked before the first round.
    // Most operations find both wait lists empty: then collect() reads two list heads and wake()
    // one flag, and nothing else happens (a channel nobody waits on pays for no wake-up machinery).
    class Wakeups {
    public:
        explicit Wakeups(MutexChannel& c) : chan_(c) {}
        [[gnu::always_inline]] void collect() {  // under the lock
            // Nobody linked on either side, and no round under way: nothing to take and no mark
            // to keep (a later round happens only after a take). The common case, kept inline.
            if (!batches_ && chan_.rx_waiters_.empty() && chan_.tx_waiters_.empty()) return;
            collect_and_mark();
        }
        [[gnu::always_inline]] void wake() {  // without the lock
            if (taken_) wake_rounds();  // nothing taken: both batches are empty
        }

    private:
        // Both sides' batches, made only when a wait list has someone in it: a row's batch may be
        // costly to make and destroy (vec's vector, vec_reuse's hand-back), and most operations
        // never need one.
        struct Batches {
            // User-provided, so that emplace() does not value-initialise: that would zero a
            // FixedWakeBatch's storage (half a kilobyte each) at every critical section that
            // finds a waiter; churn and tasks at capacity 1 lost a quarter of their speed to it.
            Batches() noexcept {}
            Batch rx, tx;
        };

        [[gnu::noinline]] void collect_and_mark() {
            if (!batches_) {  // the first round: the marks keep later rounds to waiters linked before it
                batches_.emplace();
                rx_mark_ = chan_.rx_waiters_.mark();
                tx_mark_ = chan_.tx_waiters_.mark();
            }
            if constexpr (Sync::kAudits) settle_owed_round();
            taken_ |= chan_.rebalance(batches_->rx, rx_mark_, Side::receivers) > 0;
            taken_ |= chan_.rebalance(batches_->tx, tx_mark_, Side::senders) > 0;
            if constexpr (Sync::kAudits) owe_round_if_full();
        }
        [[gnu::noinline]] void wake_rounds() {
            while (taken_) {
                const bool more = batches_->rx.full() || (!Sync::injects(Fault::wake_round_forgets_senders) && batches_->tx.full());
                batches_->rx.wake_all();
                batches_->tx.wake_all();
                taken_ = false;
                if (!more) return;
                Lock lock(chan_.mutex_);
                collect_and_mark();
            }
        }

        // The audit's view of the rounds (Sync::kAudits): a batch that comes back full owes another
        // round, and until it is paid the channel's wake rule may not hold (audit_wake_rule).
        void owe_round_if_full() {
            if (!batches_->rx.full() && !batches_->tx.full()) return;
            owes_round_ = true;
            ++chan_.rounds_owed_.write();
        }
        void settle_owed_round() {
            if (!owes_round_) return;
            owes_round_ = false;
            --chan_.rounds_owed_.write();
        }

    public:
        ~Wakeups() {
            if constexpr (Sync::kAudits)
                if (owes_round_) Sync::fatal("mutex channel audit: a wake batch came back full and the channel did not go round again");
        }

    private:
        MutexChannel& chan_;
        std::optional<Batches> batches_;  // engaged from the first round that found a waiter
        std::uint64_t rx_mark_ = 0, tx_mark_ = 0;
        bool taken_ = false;  // a batch holds wakers not yet woken
        bool owes_round_ = false;  // the audit's: the last round came back full
    };

    // Restores the wake rule for one side; returns how many wakers it took.
    std::size_t rebalance(Batch& out, std::uint64_t mark, Side side) {
        List& waiters = list(side);
        if constexpr (Sync::kAudits) waiters.check_pending(pending(side));
        if (waiters.empty()) return 0;  // the rule holds for an empty list, whatever is available
        const std::size_t available = progress_available(side);
        std::size_t& p = pending(side);
        if (available <= p) return 0;
        const std::size_t taken = waiters.take(available - p, out, mark);
        p += taken;
        stats_.write().wakes += taken;
        return taken;
    }
    // The units of progress one side's waiters could make now.
    [[nodiscard]] std::size_t progress_available(Side side) const noexcept {
        return side == Side::receivers ? (senders_gone_.read() ? kEverything : queue_.read().size())
                                       : (receivers_gone_.read() ? kEverything : free_slots());
    }
    [[nodiscard]] std::size_t free_slots() const noexcept {
        return capacity_.bounded() ? capacity_.limit() - queue_.read().size() : 0;  // unbounded: nobody waits
    }

    // A waiter that comes back (to retry or to withdraw) first settles its node: still linked
    // means nobody woke it; otherwise a notify took its waker and counted it in pending.
    bool settle(Slot& slot, bool& linked, Side side) {
        linked = false;
        if (list(side).unlink(slot)) return false;
        --pending(side);
        return true;  // was notified
    }

    template <class Op, class MakeWaker>
    bool poll(Op& op, Slot& slot, bool& linked, MakeWaker& make_waker) {
        bool done = false;
        auto attempt = [&] {
            const bool notified = linked && settle(slot, linked, Op::kSide);
            const std::size_t before = op.progress();
            done = op.attempt(*this);
            if (notified && !done && op.progress() == before) ++stats_.write().spurious;
        };
        auto link = [&] {  // after rebalancing, so we cannot be our own wake-up
            if (done) return;
            list(Op::kSide).link(slot, make_waker());
            linked = true;
            ++stats_.write().waits;
        };
        if (Sync::injects(Fault::link_without_recheck)) {
            step(attempt, [] {});
            step([] {}, link);
            return done;
        }
        step(attempt, link);
        return done;
    }

    // A timed-out waiter: withdrawn if still linked; if a notify took its waker first, settled
    // here, so rebalance passes that wake-up on at once and every take is settled exactly once
    // (what the audit's pending check relies on). Its caller then takes the unpark in flight and
    // polls once more.
    bool withdraw_if_linked(Slot& slot, bool& linked, Side side) {
        bool withdrawn = false;
        run_locked([&] { withdrawn = !settle(slot, linked, side); });
        return withdrawn;
    }

    // Cancellation: withdraw, and if we had been handed a wake-up, rebalance passes it on.
    void withdraw(Slot& slot, bool& linked, Side side) noexcept {
        if (Sync::injects(Fault::unlink_outside_lock)) {
            settle(slot, linked, side);
            run_locked([] {});
            return;
        }
        if (Sync::injects(Fault::cancel_without_pass_on)) {
            Lock lock(mutex_);
            settle(slot, linked, side);  // and no rebalance: the wake-up it held is gone
            return;
        }
        run_locked([&] { settle(slot, linked, side); });
    }

    // One critical section: `work` under the lock, then rebalance, then `finish` (still under the
    // lock), then the wakers outside it. If `work` or `finish` throws (a user's push_back, a
    // vector growing in link()), whatever changed is still rebalanced, and the wakers already
    // taken are still woken, before the exception goes on: dropping them would strand waiters
    // that pending already counts as awake.
    template <class Work, class Finish>
    [[gnu::always_inline]] void step(Work&& work, Finish&& finish) {
        mutex_.lock();
        step_holding_lock(work, finish);
    }
    // The same for a caller that has taken the lock already; it is released here.
    template <class Work, class Finish>
    [[gnu::always_inline]] void step_holding_lock(Work&& work, Finish&& finish) {
        if constexpr (Sync::kAudits) audit_wake_rule();
        Wakeups wakeups(*this);
        std::exception_ptr error;
        {
            Lock lock(mutex_, std::adopt_lock);
            try {
                work();
            } catch (...) {
                error = std::current_exception();
            }
            wakeups.collect();
            if (!error) {
                try {
                    finish();
                } catch (...) {
                    error = std::current_exception();
                }
            }
        }
        wakeups.wake();
        if (error) std::rethrow_exception(error);
    }
    template <class Work>
    [[gnu::always_inline]] void run_locked(Work&& work) {
        step(work, [] {});
    }
    // The audit (Sync::kAudits), at the start of every critical section: the rule at the top of
    // this file holds, unless a notifier is between two rounds of its wake. A waiter left asleep
    // with progress available is caught here even when some later operation would have woken it.
    void audit_wake_rule() {
        if (rounds_owed_.read() != 0) return;
        for (const Side side : {Side::receivers, Side::senders})
            if (!list(side).empty() && pending(side) < progress_available(side))
                Sync::fatal("mutex channel audit: the wake rule does not hold (a waiter sleeps while progress is available)");
    }

    void close(Side leaving) {
        boost::circular_buffer<T> doomed;  // queued items die outside the lock: their destructors are user code
        run_locked([&] {
            if (leaving == Side::senders) {
                senders_gone_.write() = true;
            } else {
                receivers_gone_.write() = true;
                doomed.swap(queue_.write());
            }
        });
    }

    const Capacity capacity_;
    typename Sync::mutex mutex_;
    cell<boost::circular_buffer<T>> queue_{};
    List rx_waiters_;
    List tx_waiters_;
    cell<std::size_t> rx_pending_{0};
    cell<std::size_t> tx_pending_{0};
    cell<bool> senders_gone_{false};    // receivers drain, then see closed
    cell<bool> receivers_gone_{false};  // sends fail and hand their value back
    cell<WaitStats> stats_{};  // under mutex_
    // Rounds of wakes owed by notifiers between two rounds (Wakeups); kept only when audited.
    [[no_unique_address]] std::conditional_t<Sync::kAudits, cell<std::size_t>, detail::Unaudited> rounds_owed_{};
};

}  // namespace wakerbench
