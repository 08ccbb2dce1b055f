#pragma once
// Baseline: moodycamel::BlockingConcurrentQueue as it ships, behind the channel API. A lock-free
// queue of per-producer sub-queues plus one LightweightSemaphore counting the items: a receiver
// spins briefly, then sleeps on the semaphore. What the shipped queue cannot do is declared, not
// faked:
//   - unbounded only: a bounded Capacity throws;
//   - no close: the last sender or receiver leaving changes nothing, so recv() blocks until an
//     item arrives, however many senders are left (benchmarks stop their receivers themselves);
//     the last handle still deletes the channel, and with it whatever is queued;
//   - FIFO per producer thread only: each thread enqueues into its own sub-queue, and receivers
//     visit the sub-queues in no promised order.

#include <algorithm>
#include <array>
#include <chrono>
#include <concurrentqueue/blockingconcurrentqueue.h>
#include <cstddef>
#include <cstdint>
#include <iterator>
#include <new>
#include <optional>
#include <span>
#include <stdexcept>
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
class MoodycamelBlockingChannel : public detail::SplitCounts<MoodycamelBlockingChannel<T>, StdSync> {
    // The queue dequeues by assigning into a caller's object: a move that could throw would lose
    // an item the semaphore has already handed out.
    static_assert(std::is_nothrow_move_constructible_v<T>, "wakerbench: channel payloads must be nothrow move constructible");

    friend detail::SplitCounts<MoodycamelBlockingChannel, StdSync>;  // calls close(), deletes the last handle's channel

    // What the queue dequeues into. The queue assigns `slot = std::move(item)`; emplacing instead
    // of assigning means T needs neither a default constructor nor a move assignment.
    struct Slot {
        std::optional<T> value;
        Slot& operator=(T&& v) noexcept {
            value.emplace(std::move(v));
            return *this;
        }
    };
    // A bulk dequeue lands in a stack buffer of this many slots before reaching `out`: the queue's
    // output iterator must not throw, and out.push_back may. Kept to about 2 KiB of stack.
    static constexpr std::size_t kChunk = std::clamp<std::size_t>(2048 / sizeof(Slot), 1, 64);

public:
    using value_type = T;

    explicit MoodycamelBlockingChannel(Capacity capacity) : capacity_(check(capacity)) {}
    MoodycamelBlockingChannel(const MoodycamelBlockingChannel&) = delete;
    MoodycamelBlockingChannel& operator=(const MoodycamelBlockingChannel&) = delete;

    // ---- send: never full, never closed ---------------------------------------------------------
    // try_send uses enqueue, not try_enqueue: try_enqueue fails when the preallocated blocks run
    // out, which is not "full" for an unbounded channel.
    SendResult<T> try_send(T&& value) { return send(std::move(value)); }
    SendResult<T> send(T&& value) {
        // enqueue fails only when allocating a block fails, and leaves the value unmoved.
        if (!queue_.enqueue(std::move(value))) throw std::bad_alloc();
        return SendResult<T>::ok();
    }
    std::size_t send_batch(std::span<T> items) {
        if (!queue_.enqueue_bulk(std::make_move_iterator(items.begin()), items.size())) throw std::bad_alloc();
        return items.size();
    }
    template <class Clock, class Duration>
    SendResult<T> send_until(T&& value, std::chrono::time_point<Clock, Duration>) {
        return send(std::move(value));
    }

    // ---- receive: never closed ------------------------------------------------------------------
    TryRecvResult<T> try_recv() {
        Slot s;
        if (!queue_.try_dequeue(s)) return TryRecvResult<T>::none(RecvStatus::empty);
        return TryRecvResult<T>::of(std::move(*s.value));
    }
    std::optional<T> recv() {
        Slot s;
        queue_.wait_dequeue(s);
        return std::move(s.value);
    }
    template <class Clock, class Duration>
    TryRecvResult<T> recv_until(std::chrono::time_point<Clock, Duration> deadline) {
        Slot s;
        if (!queue_.wait_dequeue_timed(s, micros_until(deadline))) return TryRecvResult<T>::none(RecvStatus::empty);
        return TryRecvResult<T>::of(std::move(*s.value));
    }

    // Blocks only while nothing is queued, then appends up to max items (never 0: nothing closes).
    template <class Out>
    std::size_t recv_batch(Out& out, std::size_t max) {
        detail::check_batch_max(max);
        std::array<Slot, kChunk> buf;
        const std::size_t n = queue_.wait_dequeue_bulk(buf.begin(), std::min(max, kChunk));
        append(out, buf, n);
        return n + (n == kChunk && max > n ? drain(out, max - n, buf) : 0);
    }
    template <class Out>
    std::size_t try_recv_batch(Out& out, std::size_t max) {
        detail::check_batch_max(max);
        std::array<Slot, kChunk> buf;
        return drain(out, max, buf);
    }

    // ---- introspection --------------------------------------------------------------------------
    // Approximate while other threads operate: the queue sums its sub-queues without a snapshot.
    [[nodiscard]] std::size_t size() const { return queue_.size_approx(); }
    // Waits, wakes and spurious wake-ups happen inside the shipped LightweightSemaphore, which
    // exposes no counters: zeros here mean "not observable", not "none happened".
    [[nodiscard]] WaitStats stats() const noexcept { return {}; }
    [[nodiscard]] Capacity capacity() const noexcept { return capacity_; }

private:
    ~MoodycamelBlockingChannel() = default;  // the queue destroys whatever is still in it

    static Capacity check(Capacity capacity) {
        if (capacity.bounded())
            throw std::invalid_argument("wakerbench: moodycamel_blocking is unbounded only; pass wakerbench::unbounded");
        return capacity;
    }

    // There is nothing to close: the shipped queue has no notion of it.
    void close(detail::Side) noexcept {}

    // The queue takes a relative timeout in microseconds and reads a negative one as "forever":
    // a deadline already passed becomes 0 (one try), and rounding up never wakes before it.
    template <class Clock, class Duration>
    static std::int64_t micros_until(std::chrono::time_point<Clock, Duration> deadline) {
        const auto now = Clock::now();
        if (deadline <= now) return 0;
        return std::chrono::ceil<std::chrono::microseconds>(deadline - now).count();
    }

    // Items the queue handed out are ours: if out.push_back throws, the ones not yet appended are
    // destroyed with the buffer, since the queue cannot take them back without reordering them.
    template <class Out>
    static void append(Out& out, std::array<Slot, kChunk>& buf, std::size_t n) {
        for (std::size_t i = 0; i < n; ++i) out.push_back(std::move(*buf[i].value));
    }
    // Takes up to max without blocking, a chunk at a time, until a chunk comes back short.
    template <class Out>
    std::size_t drain(Out& out, std::size_t max, std::array<Slot, kChunk>& buf) {
        std::size_t total = 0;
        while (total < max) {
            const std::size_t n = queue_.try_dequeue_bulk(buf.begin(), std::min(max - total, kChunk));
            append(out, buf, n);
            total += n;
            if (n < kChunk) break;
        }
        return total;
    }

    const Capacity capacity_;
    moodycamel::BlockingConcurrentQueue<T> queue_;
};

// The row descriptor: make_channel<baselines::moodycamel_blocking, T>(unbounded) gives the usual handles.
struct moodycamel_blocking {
    template <class T, class Sync = StdSync>  // Sync is accepted for the row shape; this is std-only
    using channel = MoodycamelBlockingChannel<T>;

    static constexpr ImplInfo info{
        .name = "moodycamel_blocking",
        .wake = WakePolicy::one,  // one semaphore signal per item
        .bounded = false,
        .unbounded = true,
        .sync_api = true,
        .async_api = false,  // the semaphore blocks a thread; it cannot resume a coroutine
        .batches = true,
        .timed_waits = true,  // recv_until waits; send_until never has to (never full)
        .close = false,
        .cancellation = false,  // no waiter to withdraw: a timed-out wait gives its semaphore count back by itself
        .payload = PayloadLimit::nothrow_movable,  // MoodycamelBlockingChannel static_asserts it
        .order = Order::per_sending_thread,  // one sub-queue per enqueuing thread
        .storage = "LightweightSemaphore inside the queue",
        .cancel = "n/a: a timed-out wait re-adjusts the semaphore count",
        .allocation = "queue blocks recycled after warm-up",
        .wait_stats = false,  // the semaphore's waits happen inside moodycamel, out of our sight
    };
    template <class T>
    static constexpr bool supports_payload = satisfies<T>(info.payload);
};

}  // namespace wakerbench::baselines
