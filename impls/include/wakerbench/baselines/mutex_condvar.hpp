#pragma once
// Baseline: the textbook channel every wait-list row is measured against. One std::mutex, two
// std::condition_variable (not_empty, not_full) and a std::deque: the waiters live in the kernel's
// futex queue behind the condvars, so there is no wait list of ours to compare, only the standard
// library's. Sync API only: a condvar cannot resume a coroutine.
//
// Close follows the rows (split counts): the last sender leaving lets receivers drain, then they
// see closed; the last receiver leaving destroys what is queued and makes every send fail, handing
// its value back.

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <mutex>
#include <optional>
#include <span>
#include <type_traits>
#include <utility>

#include "wakerbench/channel/capacity.hpp"
#include "wakerbench/channel/channel_base.hpp"
#include "wakerbench/channel/results.hpp"
#include "wakerbench/impl_info.hpp"
#include "wakerbench/sync/std_sync.hpp"
#include "wakerbench/waitlist/wake_batch.hpp"

namespace wakerbench::baselines {

template <class T>
class MutexCondvarChannel : public detail::SplitCounts<MutexCondvarChannel<T>, StdSync> {
    // Items move under the lock, and recv_batch hands one to the caller's push_back before popping
    // it: a move that could throw would leave the deque half-updated.
    static_assert(std::is_nothrow_move_constructible_v<T>, "wakerbench: channel payloads must be nothrow move constructible");

    using Side = detail::Side;
    using Lock = std::unique_lock<std::mutex>;
    friend detail::SplitCounts<MutexCondvarChannel, StdSync>;  // calls close(), deletes the last handle's channel

    // One side's condvar and how many threads are inside a wait on it. The count includes threads
    // already notified that have not yet re-taken the lock, so a notify can occasionally find nobody
    // blocked; it never skips a thread that is blocked.
    struct Waiters {
        std::condition_variable cv;
        std::size_t count = 0;
    };

    // notify_one calls owed to one side, made when this object dies. Declared before the Lock in
    // every operation, so the notifies run after the lock is released (a woken thread does not
    // wake straight into a held mutex), and on every exit path, exceptions included: an item that
    // went in or out must always produce its notify, or a blocked party would sleep through it.
    class Notify {
    public:
        explicit Notify(Waiters& w) noexcept : w_(w) {}
        Notify(const Notify&) = delete;
        Notify& operator=(const Notify&) = delete;
        ~Notify() { now(); }

        void add(std::size_t n) noexcept { owed_ += n; }
        void now() noexcept {
            for (; owed_ > 0; --owed_) w_.cv.notify_one();
        }

    private:
        Waiters& w_;
        std::size_t owed_ = 0;
    };

public:
    using value_type = T;

    explicit MutexCondvarChannel(Capacity capacity) : capacity_(capacity) {}
    MutexCondvarChannel(const MutexCondvarChannel&) = delete;
    MutexCondvarChannel& operator=(const MutexCondvarChannel&) = delete;

    // ---- non-blocking ---------------------------------------------------------------------------
    SendResult<T> try_send(T&& value) {
        Notify wake_rx(rx_);
        Lock lock(mutex_);
        if (receivers_gone_) return SendResult<T>::rejected(SendStatus::closed, std::move(value));
        if (!has_room()) return SendResult<T>::rejected(SendStatus::full, std::move(value));
        push(std::move(value), wake_rx);
        return SendResult<T>::ok();
    }
    TryRecvResult<T> try_recv() {
        Notify wake_tx(tx_);
        Lock lock(mutex_);
        if (!queue_.empty()) return TryRecvResult<T>::of(pop(wake_tx));
        return TryRecvResult<T>::none(senders_gone_ ? RecvStatus::closed : RecvStatus::empty);
    }
    template <class Out>
    std::size_t try_recv_batch(Out& out, std::size_t max) {
        detail::check_batch_max(max);
        Notify wake_tx(tx_);
        Lock lock(mutex_);
        return take(out, max, wake_tx);
    }

    // ---- blocking -------------------------------------------------------------------------------
    SendResult<T> send(T&& value) { return send_impl(std::move(value), kNoDeadline); }

    // Moves what fits, notifies, waits for room, goes on. Returns how many went in: fewer than
    // items.size() only if the receivers left, and the unsent tail stays in the caller's range.
    std::size_t send_batch(std::span<T> items) {
        Notify wake_rx(rx_);
        Lock lock(mutex_);
        std::size_t sent = 0;
        for (;;) {
            if (receivers_gone_) return sent;
            for (; sent < items.size() && has_room(); ++sent) push(std::move(items[sent]), wake_rx);
            if (sent == items.size()) return sent;
            // The receivers must hear about what is queued before we sleep waiting for them to
            // drain it; notifying under the lock is fine, cv.wait releases it straight away.
            wake_rx.now();
            wait(lock, tx_, [&] { return receivers_gone_ || has_room(); }, kNoDeadline);
        }
    }

    std::optional<T> recv() {
        TryRecvResult<T> r = recv_impl(kNoDeadline);
        return std::move(r).take();  // nullopt: closed and drained
    }

    // Blocks only while nothing is queued, then takes up to max. 0 means closed and drained.
    // out.push_back runs under the channel lock: it must not block or touch this channel; reserve
    // `out` to keep it from allocating.
    template <class Out>
    std::size_t recv_batch(Out& out, std::size_t max) {
        detail::check_batch_max(max);
        Notify wake_tx(tx_);
        Lock lock(mutex_);
        wait(lock, rx_, [&] { return senders_gone_ || !queue_.empty(); }, kNoDeadline);
        return take(out, max, wake_tx);
    }

    // ---- blocking with a deadline ---------------------------------------------------------------
    // A timed-out send hands its value back as full(); a timed-out receive reports empty().
    template <class Clock, class Duration>
    SendResult<T> send_until(T&& value, std::chrono::time_point<Clock, Duration> deadline) {
        return send_impl(std::move(value), std::optional(deadline));
    }
    template <class Clock, class Duration>
    TryRecvResult<T> recv_until(std::chrono::time_point<Clock, Duration> deadline) {
        return recv_impl(std::optional(deadline));
    }

    // ---- introspection --------------------------------------------------------------------------
    [[nodiscard]] std::size_t size() {
        Lock lock(mutex_);
        return queue_.size();
    }
    [[nodiscard]] WaitStats stats() {
        Lock lock(mutex_);
        return stats_;
    }
    [[nodiscard]] Capacity capacity() const noexcept { return capacity_; }

private:
    // The untimed calls share the timed code paths; nullopt_t picks the untimed wait at compile time.
    static constexpr std::nullopt_t kNoDeadline = std::nullopt;

    ~MutexCondvarChannel() = default;

    [[nodiscard]] bool has_room() const noexcept { return !capacity_.bounded() || queue_.size() < capacity_.limit(); }

    // Owes one notify per item or slot while someone waits on the other side; `wakes` counts them.
    std::size_t claim(const Waiters& w, std::size_t units) noexcept {
        const std::size_t n = std::min(units, w.count);
        stats_.wakes += n;
        return n;
    }
    void push(T&& v, Notify& wake_rx) {
        queue_.push_back(std::move(v));
        wake_rx.add(claim(rx_, 1));
    }
    T pop(Notify& wake_tx) noexcept {
        T v = std::move(queue_.front());
        queue_.pop_front();
        wake_tx.add(claim(tx_, 1));
        return v;
    }
    template <class Out>
    std::size_t take(Out& out, std::size_t max, Notify& wake_tx) {
        std::size_t n = 0;
        // A throwing push_back leaves its item queued (T moves without throwing), and the slots
        // already freed are still notified: the Notify fires during unwinding.
        for (; n < max && !queue_.empty(); ++n) {
            out.push_back(std::move(queue_.front()));
            queue_.pop_front();
            wake_tx.add(claim(tx_, 1));
        }
        return n;
    }

    // Blocks on w until ready() holds or the deadline passes; returns ready(). Every block counts
    // as a wait; a wake-up (not a timeout) after which ready() is still false counts as spurious.
    template <class Ready, class Deadline>
    bool wait(Lock& lock, Waiters& w, Ready ready, const Deadline& deadline) {
        bool woken = false;
        while (!ready()) {
            if (woken) ++stats_.spurious;
            ++stats_.waits;
            ++w.count;
            bool timed_out = false;
            if constexpr (std::is_same_v<Deadline, std::nullopt_t>) w.cv.wait(lock);
            else timed_out = w.cv.wait_until(lock, *deadline) == std::cv_status::timeout;
            --w.count;
            // A thread timing out may be the one a notify_one picked; it still takes what it was
            // woken for, because the caller re-checks under the lock before giving up.
            if (timed_out) return ready();
            woken = true;
        }
        return true;
    }

    template <class Deadline>
    SendResult<T> send_impl(T&& value, const Deadline& deadline) {
        Notify wake_rx(rx_);
        Lock lock(mutex_);
        if (!wait(lock, tx_, [&] { return receivers_gone_ || has_room(); }, deadline))
            return SendResult<T>::rejected(SendStatus::full, std::move(value));
        if (receivers_gone_) return SendResult<T>::rejected(SendStatus::closed, std::move(value));
        push(std::move(value), wake_rx);
        return SendResult<T>::ok();
    }

    template <class Deadline>
    TryRecvResult<T> recv_impl(const Deadline& deadline) {
        Notify wake_tx(tx_);
        Lock lock(mutex_);
        if (!wait(lock, rx_, [&] { return senders_gone_ || !queue_.empty(); }, deadline))
            return TryRecvResult<T>::none(RecvStatus::empty);
        if (queue_.empty()) return TryRecvResult<T>::none(RecvStatus::closed);
        return TryRecvResult<T>::of(pop(wake_tx));
    }

    // Everyone waiting on either side re-checks: the side that stayed sees the flag, the other
    // side has no handles left (its count just reached zero) but waking it costs nothing.
    void close(Side leaving) noexcept {
        std::deque<T> doomed;  // queued items die outside the lock: their destructors are user code
        {
            Lock lock(mutex_);
            if (leaving == Side::senders) senders_gone_ = true;
            else {
                receivers_gone_ = true;
                doomed.swap(queue_);
            }
            stats_.wakes += rx_.count + tx_.count;
        }
        rx_.cv.notify_all();
        tx_.cv.notify_all();
    }

    const Capacity capacity_;
    std::mutex mutex_;
    // Everything below is guarded by mutex_.
    std::deque<T> queue_;
    Waiters rx_;  // not_empty: receivers wait here
    Waiters tx_;  // not_full: senders wait here (only on a bounded channel)
    bool senders_gone_ = false;    // receivers drain, then see closed
    bool receivers_gone_ = false;  // sends fail and hand their value back
    WaitStats stats_{};
};

// The row descriptor: make_channel<baselines::mutex_condvar, T>(cap) gives the usual handles.
struct mutex_condvar {
    template <class T, class Sync = StdSync>  // Sync is accepted for the row shape; this is std-only
    using channel = MutexCondvarChannel<T>;

    static constexpr ImplInfo info{
        .name = "mutex_condvar",
        .wake = WakePolicy::one,
        .bounded = true,
        .unbounded = true,
        .sync_api = true,
        .async_api = false,  // a condvar blocks a thread; it cannot resume a coroutine
        .batches = true,
        .timed_waits = true,
        .close = true,
        // No waiter can be withdrawn: the only cancellation is a wait_until timing out, and a
        // thread timing out may swallow a notify_one meant for another waiter. The channel stays
        // correct only because that thread re-checks under the lock and takes what it was woken
        // for; it never passes a wake-up on.
        .cancellation = false,
        .payload = PayloadLimit::nothrow_movable,  // MutexCondvarChannel static_asserts it
        .order = Order::fifo,  // one queue under one lock
        .storage = "condition variables (waiters in the kernel futex queue)",
        .cancel = "n/a: a timed-out wait leaves the condvar by itself",
        .allocation = "std::deque allocates a chunk every 512 bytes of items",
    };
    template <class T>
    static constexpr bool supports_payload = satisfies<T>(info.payload);
};

}  // namespace wakerbench::baselines
