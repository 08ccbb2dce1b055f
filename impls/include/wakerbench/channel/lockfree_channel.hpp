#pragma once
// LockFreeChannel<T, Queue, Sync>: items travel through an existing lock-free queue (moodycamel,
// Boost.Lockfree; see channel/queues/), and parties that must wait block on two event counts.
// A send or receive that does not have to wait touches no lock and makes no system call.
//
// Two counters carry every decision, so the queue itself only has to hold items:
//   ready_  items whose enqueue has finished and that no receiver has claimed yet;
//   free_   (bounded only) slots no sender has claimed.
// A sender claims a slot, enqueues, then publishes (ready_ += n); a receiver claims from ready_,
// dequeues exactly that many, then releases the slots (free_ += n). A claim therefore always
// corresponds to an item that is in the queue (moodycamel may still miss it for a moment under
// contention; the receiver retries), the queue never holds more than the capacity, and close is
// decided by counting: once the last sender has gone, a receiver that finds ready_ at 0 knows
// the channel is drained. No sentinel is ever enqueued, so none can overtake data in a queue that
// orders only per producer.
//
// Every write a waiter re-checks (ready_, free_, the closed flags) is a seq_cst RMW or store, and
// every re-check a seq_cst load: that is the event count's contract (sync/eventcount.hpp).
//
// Semantics the same as MutexChannel (MPMC, bounded/unbounded, batches, sync and async, timed
// waits, split counts and close, cancellation with pass-on), except:
//   - order: whatever the queue gives (Queue::kOrder);
//   - a send that races the last receiver's departure may enqueue after the departing receiver
//     has discarded the queue; the sender then discards it itself (see publish()), so it is
//     destroyed promptly either way, by whichever side comes second;
//   - if recv_batch's push_back throws, the items already dequeued but not delivered go back to
//     the tail of the queue (a lock-free queue has no front to put them back at).

#include <algorithm>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <exception>
#include <new>
#include <optional>
#include <span>
#include <thread>
#include <type_traits>
#include <utility>

#include "wakerbench/channel/capacity.hpp"
#include "wakerbench/channel/channel_api.hpp"
#include "wakerbench/channel/channel_base.hpp"
#include "wakerbench/channel/channel_state.hpp"
#include "wakerbench/sync/eventcount.hpp"
#include "wakerbench/sync/std_sync.hpp"

namespace wakerbench {

template <class T, class Queue, class Sync = StdSync>
class LockFreeChannel : public detail::SplitCounts<LockFreeChannel<T, Queue, Sync>, Sync>,
                        public detail::ChannelApi<LockFreeChannel<T, Queue, Sync>, T, Sync> {
    static_assert(std::is_nothrow_move_constructible_v<T>, "wakerbench: channel payloads must be nothrow move constructible");

    using Side = detail::Side;
    using Events = EventCount<Sync>;
    template <class U>
    using atomic = typename Sync::template atomic<U>;
    friend detail::SplitCounts<LockFreeChannel, Sync>;  // calls close(), deletes the last handle's channel
    friend detail::ChannelApi<LockFreeChannel, T, Sync>;

    // Items a batch receive moves per bulk dequeue (a stack buffer of optional<T>); a single
    // receive uses a buffer of one, so the common path does not build 32 empty optionals.
    static constexpr std::size_t kChunk = 32;

public:
    using value_type = T;
    using queue_type = Queue;

    explicit LockFreeChannel(Capacity capacity)
        : capacity_(capacity), queue_(capacity), free_(capacity.bounded() ? capacity.limit() : 0) {}
    LockFreeChannel(const LockFreeChannel&) = delete;
    LockFreeChannel& operator=(const LockFreeChannel&) = delete;

    // ---- operations (what each carries and returns: channel_api.hpp) --------------------------
    struct SendOp : detail::SendState<T> {
        bool attempt(LockFreeChannel& c) {
            if (c.receivers_gone()) return this->outcome = SendStatus::closed, true;
            if (c.claim_slots(1) == 0) return false;
            c.enqueue(std::span<T>(&this->value, 1));
            return this->outcome = SendStatus::sent, true;
        }
    };

    struct SendBatchOp : detail::SendBatchState<T> {
        bool attempt(LockFreeChannel& c) {
            if (c.receivers_gone()) return true;  // the unsent tail stays with the caller
            const std::size_t n = c.claim_slots(this->items.size() - this->sent);
            c.enqueue(this->items.subspan(this->sent, n));
            this->sent += n;
            return this->sent == this->items.size();
        }
    };

    struct RecvOp : detail::RecvState<T> {
        bool attempt(LockFreeChannel& c) {
            const std::size_t n = c.claim_items(1);
            if (n == 0) return c.drained();
            c.template dequeue<1>(n, [this](std::optional<T>&& item) { this->value = std::move(item); });
            return true;
        }
    };

    template <class Out>
    struct RecvBatchOp : detail::RecvBatchState<Out> {
        // out->push_back runs on the receiving thread with no lock held. If it throws, the items
        // not yet delivered go back to the queue's tail and the exception reaches the caller.
        bool attempt(LockFreeChannel& c) {
            const std::size_t n = c.claim_items(this->max);
            if (n == 0) return c.drained();
            c.template dequeue<kChunk>(n, [this](std::optional<T>&& item) {
                this->out->push_back(std::move(*item));
                ++this->received;
            });
            return true;
        }
    };

    // An operation plus its event-count node: on the blocked thread's stack, or inside an
    // OpAwaiter in the coroutine frame. Pinned: the event count holds the node's address.
    template <class Op>
    class Waiter {
    public:
        template <class... Args>
        explicit Waiter(LockFreeChannel& c, Args&&... args) : chan_(c), op_{{std::forward<Args>(args)...}} {}
        // An operation whose first attempt (ChannelApi::block) could not finish it.
        Waiter(LockFreeChannel& c, Op&& started) : chan_(c), op_(std::move(started)) {}
        Waiter(const Waiter&) = delete;
        Waiter& operator=(const Waiter&) = delete;
        ~Waiter() {  // cancelled while committed: withdraw, and pass on a wake-up we were handed
            if (committed_ && events().withdraw(node_) && !Sync::injects(Fault::cancel_without_pass_on)) chan_.pass_on(Op::kSide);
        }

        // The attempt / prepare / re-check / commit loop of the event count. Returns true when the
        // operation finished; false once the waker from make_waker() is committed.
        template <class MakeWaker>
        bool poll(MakeWaker&& make_waker) {
            const bool notified = committed_ && settle();
            const std::size_t before = op_.progress();
            for (;;) {
                if (op_.attempt(chan_)) return true;
                const typename Events::Key key = events().prepare();
                if (op_.attempt(chan_)) {  // became possible before we announced: no sleep
                    events().cancel();
                    return true;
                }
                if (events().commit(key, node_, make_waker())) {
                    committed_ = true;
                    chan_.count_wait(notified && op_.progress() == before);
                    return false;
                }
                // A notify ran between prepare and commit: what it published may be ours. Retry.
            }
        }
        // A timed-out thread: true if it was still waiting and is now withdrawn; false if a notify
        // already took its waker (it stays committed so the next poll settles the notification).
        bool withdraw_if_linked() {
            if (events().withdraw(node_)) return false;
            committed_ = false;
            return true;
        }
        decltype(auto) result() && { return std::move(op_).result(); }

    private:
        Events& events() noexcept { return chan_.events(Op::kSide); }
        bool settle() noexcept {  // true if a notify woke us (rather than a spurious re-poll)
            committed_ = false;
            return events().withdraw(node_);
        }

        LockFreeChannel& chan_;
        Op op_;
        typename Events::Node node_;
        bool committed_ = false;  // touched only by the waiter's own thread or task
    };

    // ---- introspection ----------------------------------------------------------------------
    // Items sent and not yet claimed by a receiver (a snapshot).
    [[nodiscard]] std::size_t size() const noexcept { return ready_.load(std::memory_order_relaxed); }  // relaxed: a snapshot
    [[nodiscard]] WaitStats stats() const noexcept {
        // relaxed: independent counters for tests and benchmarks, read after the parties settle.
        return {waits_.load(std::memory_order_relaxed), wakes_.load(std::memory_order_relaxed), spurious_.load(std::memory_order_relaxed)};
    }
    [[nodiscard]] Capacity capacity() const noexcept { return capacity_; }
    // For a watchdog's report (channel_state.hpp). relaxed loads: a snapshot, ordered with nothing.
    // There is no pending count: a notified waiter is no longer announced, and re-checks by itself.
    [[nodiscard]] ChannelState state() {
        ChannelState s;
        s.sender_handles = this->sender_handles();
        s.receiver_handles = this->receiver_handles();
        s.queued = ready_.load(std::memory_order_relaxed);
        s.senders_gone = senders_gone_.load(std::memory_order_relaxed);
        s.receivers_gone = receivers_gone_.load(std::memory_order_relaxed);
        const auto rx = not_empty_.linked();
        const auto tx = not_full_.linked();
        s.lock_busy = !rx || !tx;
        s.receivers_waiting = rx.value_or(0);
        s.senders_waiting = tx.value_or(0);
        return s;
    }
    // Heap held by the wait lists: none, both event counts link nodes that live in the waiters.
    [[nodiscard]] static constexpr std::size_t wait_list_bytes() noexcept { return 0; }

private:
    ~LockFreeChannel() { discard(ready_.exchange(0, std::memory_order_acquire)); }  // acquire: the last sends' items

    template <class Op>
    bool attempt_now(Op& op) {
        return op.attempt(*this);
    }
    template <class Op>
    bool attempt_if_free(Op& op) {  // a spinning caller's retry (ChannelApi): there is no lock to find busy
        return attempt_now(op);
    }

    Events& events(Side s) noexcept { return s == Side::receivers ? not_empty_ : not_full_; }

    // Claims up to `want` units of a counter; returns how many (0: none there). seq_cst on the
    // load and the exchange: this is the waiters' re-check in the event-count handshake, and it
    // acquires the items (or slots) the matching publish released.
    static std::size_t claim(atomic<std::size_t>& units, std::size_t want) noexcept {
        std::size_t have = units.load(std::memory_order_seq_cst);
        while (have > 0) {
            const std::size_t take = std::min(have, want);
            if (units.compare_exchange_weak(have, have - take, std::memory_order_seq_cst, std::memory_order_seq_cst)) return take;
        }
        return 0;
    }
    std::size_t claim_slots(std::size_t want) noexcept { return capacity_.bounded() ? claim(free_, want) : want; }
    std::size_t claim_items(std::size_t want) noexcept { return claim(ready_, want); }

    // Gives back claimed slots and wakes as many waiting senders. seq_cst: the notifier's write in
    // the event-count handshake.
    void release_slots(std::size_t n) noexcept {
        if (!capacity_.bounded() || n == 0) return;
        free_.fetch_add(n, std::memory_order_seq_cst);
        count_wakes(not_full_.notify(n));
    }

    // Moves claimed-slot items into the queue and publishes them. If the queue cannot allocate,
    // what went in is published, the rest of the claim is released and bad_alloc propagates (the
    // caller still holds the items that did not go in).
    void enqueue(std::span<T> items) {
        if (items.empty()) return;
        const std::size_t pushed = queue_.push_bulk(items);
        publish(pushed);
        if (pushed < items.size()) {
            release_slots(items.size() - pushed);
            throw std::bad_alloc();
        }
    }
    void publish(std::size_t n) {
        if (n == 0) return;
        // seq_cst: releases the enqueue to the receiver that claims it, and is the notifier's
        // write in the event-count handshake.
        ready_.fetch_add(n, std::memory_order_seq_cst);
        count_wakes(not_empty_.notify(n));
        // The last receiver may have left after our receivers_gone() check and discarded the queue
        // before our items arrived. seq_cst against its store in close(): either it sees our
        // ready_ increment and discards our items, or we see its flag here and do it ourselves.
        if (receivers_gone()) discard(claim_items(static_cast<std::size_t>(-1)));
    }

    // What happens to the slots of dequeued items: receivers give them back to senders; a discard
    // after the receivers have gone keeps them claimed (see discard()).
    enum class Slots { release, keep };

    // Dequeues exactly n claimed items into sink, then releases their slots. The items exist (each
    // claim matches a finished enqueue), but a lock-free queue may not hand them over at the first
    // try under contention: retry, yielding if it persists. If sink throws, the undelivered items
    // go back to the queue and are published again.
    template <std::size_t Chunk, class Sink>
    void dequeue(std::size_t n, Sink&& sink, Slots slots = Slots::release) {
        std::optional<T> buffer[Chunk];
        std::size_t done = 0;
        for (unsigned misses = 0; done < n;) {
            const std::size_t got = queue_.pop_bulk(buffer, std::min(n - done, Chunk));
            if (got == 0) {
                if (++misses > 64) std::this_thread::yield();
                continue;
            }
            std::size_t i = 0;
            try {
                for (; i < got; ++i) sink(std::move(buffer[i]));
            } catch (...) {
                put_back(std::span<std::optional<T>>(buffer + i, got - i), n - done - got);
                release_slots(done + i);
                throw;
            }
            done += got;
        }
        if (slots == Slots::release) release_slots(n);
    }

    // After a throwing sink: `held` go back to the tail, and `unclaimed` items still in the queue
    // become claimable again. Both are published, which wakes receivers for them.
    void put_back(std::span<std::optional<T>> held, std::size_t unclaimed) noexcept {
        std::size_t back = 0;
        for (std::optional<T>& item : held) {
            T value = std::move(*item);
            if (queue_.push_bulk(std::span<T>(&value, 1)) == 1) ++back;  // no memory: the item is lost with the exception
        }
        publish(back + unclaimed);
    }

    // Destroys n claimed items (a departed receiver side, or the channel's end). Destructors are
    // user code: no lock is held here, none ever is. Their slots stay claimed: a sender that read
    // receivers_gone_ as false just before the last receiver left would otherwise claim a slot this
    // discard freed and report a send into a closed channel as done (the model checker found that:
    // lockfree/last_receiver_wakes_senders). Without the slot it re-checks and fails as closed.
    void discard(std::size_t n) noexcept {
        dequeue<kChunk>(n, [](std::optional<T>&&) {}, Slots::keep);
    }

    [[nodiscard]] bool receivers_gone() const noexcept { return receivers_gone_.load(std::memory_order_seq_cst); }  // seq_cst: see publish()
    // No item claimable: finished (closed) if the senders have gone and, looking again after
    // seeing that, there is still nothing. seq_cst: every sender's last publish happens before the
    // flag is set, so the second look sees them all.
    [[nodiscard]] bool drained() noexcept {
        if (Sync::injects(Fault::close_overtakes_data)) return senders_gone_.load(std::memory_order_seq_cst);
        if (Sync::injects(Fault::drained_reads_count_first)) {
            const bool empty = ready_.load(std::memory_order_seq_cst) == 0;
            return empty && senders_gone_.load(std::memory_order_seq_cst);
        }
        return senders_gone_.load(std::memory_order_seq_cst) && ready_.load(std::memory_order_seq_cst) == 0;
    }

    // A notified waiter was cancelled before it could use its wake-up: if what it was woken for
    // is still there, wake someone else for it.
    void pass_on(Side side) noexcept {
        // seq_cst: the re-check in the event-count handshake; anything published later notifies by itself.
        const bool available = side == Side::receivers ? ready_.load(std::memory_order_seq_cst) > 0
                                                       : capacity_.bounded() && free_.load(std::memory_order_seq_cst) > 0;
        if (available) count_wakes(events(side).notify(1));
    }

    // Only a notify that woke someone touches the shared counter: a send or receive that finds
    // nobody waiting must not pay a read-modify-write for statistics (lockfree_test.cpp checks it).
    void count_wakes(std::size_t woken) noexcept {
        if (woken > 0) wakes_.fetch_add(woken, std::memory_order_relaxed);  // relaxed: a statistic
    }
    void count_wait(bool spurious) noexcept {
        waits_.fetch_add(1, std::memory_order_relaxed);  // relaxed: statistics
        if (spurious) spurious_.fetch_add(1, std::memory_order_relaxed);
    }

    void close(Side leaving) noexcept {
        if (leaving == Side::senders) {
            senders_gone_.store(true, std::memory_order_seq_cst);  // seq_cst: the write receivers re-check
            count_wakes(not_empty_.notify_all());
        } else {
            receivers_gone_.store(true, std::memory_order_seq_cst);  // seq_cst: see publish()
            discard(claim_items(static_cast<std::size_t>(-1)));
            count_wakes(not_full_.notify_all());
        }
    }

    // Layout: three cache lines of different traffic, so that writes to one do not invalidate
    // the lines every operation only reads.
    const Capacity capacity_;
    Queue queue_;
    // Claimed and released by every send and every receive: written from both sides all the time.
    alignas(64) atomic<std::size_t> ready_{0};
    atomic<std::size_t> free_;
    // Loaded by every operation (the closed flags, and the event counts' state in notify()), but
    // written only by a close and by parties about to wait.
    alignas(64) atomic<bool> senders_gone_{false};  // receivers drain, then see closed
    atomic<bool> receivers_gone_{false};            // sends fail and hand their value back
    Events not_empty_;                              // receivers wait here
    Events not_full_;                               // senders wait here (bounded only)
    // Statistics: written only when a party waits or is woken.
    alignas(64) atomic<std::uint64_t> waits_{0};
    atomic<std::uint64_t> wakes_{0};
    atomic<std::uint64_t> spurious_{0};
};

}  // namespace wakerbench
