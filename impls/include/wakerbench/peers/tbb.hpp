#pragma once
// Peer: oneTBB's tbb::concurrent_bounded_queue (Debian's libtbb-dev), behind the channel API. A
// peer is a channel people already use, measured by the same workloads for reference; it is not a
// waiter-storage strategy and never enters the report's picks.
//
// The queue's waiters live in libtbb's concurrent_monitor: an intrusive list of wait nodes in the
// waiting threads' frames, behind a spin lock, with an epoch so a notify between "I must wait" and
// "I wait" is not lost (an event count). What the shipped queue cannot do is declared, not faked:
//   - no close: the last handle leaving changes nothing, so recv() blocks until an item arrives
//     (benchmarks stop their receivers by counting, as with moodycamel_blocking); abort() exists,
//     but it throws out of every waiter and drops what is queued, which is not a drain-then-close;
//   - no timed waits, no async API: pop() blocks a thread until an item comes;
//   - no batch operations: send_batch and recv_batch here are loops of single pushes and pops, one
//     blocking pop then non-blocking ones, how batch-channel's benchmarks drive channels without
//     a batch API. The row's info says batches are emulated.
//
// One departure from the queue as it ships, for the allocation tracer's sake: its default
// tbb::cache_aligned_allocator takes pages from libtbbmalloc when that library is installed (it
// is, with libtbb-dev), out of sight of the tracer that counts every other row's allocations. The
// pages here come from aligned operator new instead, with the same 64-byte alignment.

#include <oneapi/tbb/concurrent_queue.h>

#include <algorithm>
#include <cstddef>
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

namespace wakerbench::peers {

// tbb::cache_aligned_allocator's alignment, through the global (traced) aligned operator new.
template <class T>
struct CacheAlignedNew {
    using value_type = T;
    static constexpr std::align_val_t kAlignment{64};
    CacheAlignedNew() noexcept = default;
    template <class U>
    CacheAlignedNew(const CacheAlignedNew<U>&) noexcept {}
    T* allocate(std::size_t n) { return static_cast<T*>(::operator new(n * sizeof(T), kAlignment)); }
    void deallocate(T* p, std::size_t n) noexcept { ::operator delete(p, n * sizeof(T), kAlignment); }
    friend bool operator==(const CacheAlignedNew&, const CacheAlignedNew&) noexcept { return true; }
};

template <class T>
class TbbChannel : public detail::SplitCounts<TbbChannel<T>, StdSync> {
    // pop() assigns into a caller's object: T must be default constructible, and a move that could
    // throw would lose an item the queue has already given up.
    static_assert(std::is_nothrow_move_constructible_v<T> && std::is_nothrow_move_assignable_v<T>,
                  "wakerbench: the tbb peer's payloads must be nothrow movable");
    static_assert(std::is_default_constructible_v<T>, "wakerbench: the tbb peer pops into a default-constructed T");

    friend detail::SplitCounts<TbbChannel, StdSync>;  // calls close(), deletes the last handle's channel

public:
    using value_type = T;

    explicit TbbChannel(Capacity capacity) : capacity_(capacity) {
        // Unbounded is the queue's default capacity (about PTRDIFF_MAX / sizeof(T) items).
        if (capacity.bounded()) queue_.set_capacity(static_cast<std::ptrdiff_t>(capacity.limit()));
    }
    TbbChannel(const TbbChannel&) = delete;
    TbbChannel& operator=(const TbbChannel&) = delete;

    // ---- send: blocks while full, never closed --------------------------------------------------
    SendResult<T> send(T&& value) {
        queue_.push(std::move(value));
        return SendResult<T>::ok();
    }
    SendResult<T> try_send(T&& value) {
        // try_push moves from the value only when it succeeds, so a full queue hands it back intact.
        if (queue_.try_push(std::move(value))) return SendResult<T>::ok();
        return SendResult<T>::rejected(SendStatus::full, std::move(value));
    }
    std::size_t send_batch(std::span<T> items) {
        for (T& item : items) queue_.push(std::move(item));
        return items.size();
    }

    // ---- receive: blocks while empty, never closed ----------------------------------------------
    std::optional<T> recv() {
        T item{};
        queue_.pop(item);
        return std::optional<T>(std::move(item));
    }
    TryRecvResult<T> try_recv() {
        T item{};
        if (!queue_.try_pop(item)) return TryRecvResult<T>::none(RecvStatus::empty);
        return TryRecvResult<T>::of(std::move(item));
    }
    // Blocks only while nothing is queued, then takes what is there, up to max (never 0: nothing closes).
    template <class Out>
    std::size_t recv_batch(Out& out, std::size_t max) {
        detail::check_batch_max(max);
        T item{};
        queue_.pop(item);
        out.push_back(std::move(item));
        return 1 + try_recv_batch(out, max - 1, kMayBeZero);
    }
    template <class Out>
    std::size_t try_recv_batch(Out& out, std::size_t max) {
        detail::check_batch_max(max);
        return try_recv_batch(out, max, kMayBeZero);
    }

    // ---- introspection --------------------------------------------------------------------------
    // The queue's own size counts tickets: pushes begun minus pops begun. A blocked sender holds a
    // ticket (so it reads above the capacity) and a blocked receiver one of its own (below zero):
    // clamped to what the queue can hold. Approximate while other threads operate.
    [[nodiscard]] std::size_t size() const {
        const std::ptrdiff_t n = queue_.size();
        if (n <= 0) return 0;
        const auto items = static_cast<std::size_t>(n);
        return capacity_.bounded() ? std::min(items, capacity_.limit()) : items;
    }
    // Waits and wakes happen inside libtbb's concurrent_monitor, which counts nothing we can read:
    // zeros here mean "not observable", not "none happened".
    [[nodiscard]] WaitStats stats() const noexcept { return {}; }
    [[nodiscard]] Capacity capacity() const noexcept { return capacity_; }

private:
    ~TbbChannel() = default;  // the queue destroys whatever is still in it

    struct MayBeZero {};
    static constexpr MayBeZero kMayBeZero{};
    template <class Out>
    std::size_t try_recv_batch(Out& out, std::size_t max, MayBeZero) {
        std::size_t n = 0;
        for (T item{}; n < max && queue_.try_pop(item); ++n) out.push_back(std::move(item));
        return n;
    }

    // There is nothing to close: the shipped queue has no notion of it (see the top of the file).
    void close(detail::Side) noexcept {}

    const Capacity capacity_;
    tbb::concurrent_bounded_queue<T, CacheAlignedNew<T>> queue_;
};

// The row descriptor: make_channel<peers::tbb, T>(capacity) gives the usual handles.
struct tbb {
    template <class T, class Sync = StdSync>  // Sync is accepted for the row shape; this is std-only
    using channel = TbbChannel<T>;

    static constexpr ImplInfo info{
        .name = "tbb",
        .wake = WakePolicy::one,  // a push notifies the waiters of its own ticket
        .bounded = true,
        .unbounded = true,
        .sync_api = true,
        .async_api = false,  // pop() blocks a thread; it cannot resume a coroutine
        .batches = true,     // emulated: loops of single pushes, one blocking pop then try_pops
        .timed_waits = false,
        .close = false,
        .cancellation = false,  // a waiter cannot give up: there is no timed or cancellable pop
        .payload = PayloadLimit::nothrow_movable,  // and default constructible (TbbChannel static_asserts it)
        .order = Order::fifo,  // one queue of tickets: FIFO per sender, whatever thread it runs on
        .storage = "libtbb's concurrent_monitor: wait nodes in the waiting threads' frames, behind a spin lock, with an epoch",
        .cancel = "n/a: a waiter cannot give up",
        .allocation = "a page of items (32 u64) allocated as items arrive and freed once drained",
        .wait_stats = false,  // the monitor's waits happen inside libtbb, out of our sight
        .peer = true,
    };
    template <class T>
    static constexpr bool supports_payload = satisfies<T>(info.payload) && std::is_default_constructible_v<T>;
};

}  // namespace wakerbench::peers
