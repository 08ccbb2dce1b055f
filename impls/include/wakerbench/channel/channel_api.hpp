#pragma once
// The operations every channel flavour offers, written once. A flavour (MutexChannel,
// LockFreeChannel) derives from ChannelApi<Flavour, T, Sync> and supplies
//   - four operations, each an op state below plus `bool attempt(Flavour&)` (non-blocking: true
//     when finished, false when it has to wait) and `static constexpr Side kSide`:
//     SendOp, SendBatchOp, RecvOp, RecvBatchOp<Out>;
//   - `Waiter<Op>`: an operation plus its wait-list node, with poll(make_waker) /
//     withdraw_if_linked() / result() as op_awaiter.hpp expects;
//   - `bool attempt_now(Op&)`: one attempt with whatever the flavour wraps around it (a lock);
//   - `bool attempt_if_free(Op&)`: the same, or false at once if that lock is busy (for spinning).
// The flavours differ only in how an attempt and a wait work, never in what the caller sees.

#include <chrono>
#include <cstddef>
#include <optional>
#include <span>
#include <utility>

#include "wakerbench/channel/channel_base.hpp"
#include "wakerbench/channel/op_awaiter.hpp"
#include "wakerbench/channel/results.hpp"

namespace wakerbench::detail {

// A hint to the core that this is a spin-wait loop (x86 PAUSE): gives way to the sibling
// hyper-thread and avoids the memory-order flush at the loop's exit.
inline void cpu_relax() noexcept {
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#elif defined(__aarch64__)
    asm volatile("yield" ::: "memory");
#endif
}

// What each operation carries and reports; the flavours add `attempt`.
template <class T>
struct SendState {
    static constexpr Side kSide = Side::senders;
    T value;
    SendStatus outcome = SendStatus::full;

    [[nodiscard]] std::size_t progress() const noexcept { return outcome == SendStatus::sent; }
    SendResult<T> result() && {
        return outcome == SendStatus::sent ? SendResult<T>::ok() : SendResult<T>::rejected(outcome, std::move(value));
    }
};

template <class T>
struct SendBatchState {
    static constexpr Side kSide = Side::senders;
    std::span<T> items;
    std::size_t sent = 0;  // items[0, sent) are in the channel; the rest stay with the caller

    [[nodiscard]] std::size_t progress() const noexcept { return sent; }
    std::size_t result() && { return sent; }
};

template <class T>
struct RecvState {
    static constexpr Side kSide = Side::receivers;
    std::optional<T> value;

    [[nodiscard]] std::size_t progress() const noexcept { return value.has_value(); }
    // Rebuilt from its parts rather than copied whole: GCC 12 copies a std::optional<u64> with one
    // 16-byte load of the 8-byte value and 1-byte flag that attempt() has just stored separately,
    // a store-forwarding stall that perf showed as a fifth of a receive's cost.
    std::optional<T> result() && {
        if (!value) return std::nullopt;
        return std::optional<T>(std::in_place, std::move(*value));
    }
};

template <class Out>
struct RecvBatchState {
    static constexpr Side kSide = Side::receivers;
    Out* out;
    std::size_t max;
    std::size_t received = 0;

    [[nodiscard]] std::size_t progress() const noexcept { return received; }
    std::size_t result() && { return received; }
};

template <class Flavour, class T, class Sync>
class ChannelApi {
public:
    // Non-blocking.
    SendResult<T> try_send(T&& value) {
        typename Flavour::SendOp op{{std::move(value)}};
        self().attempt_now(op);
        return std::move(op).result();
    }
    TryRecvResult<T> try_recv() {
        typename Flavour::RecvOp op{};
        const bool finished = self().attempt_now(op);
        if (op.value) return TryRecvResult<T>::of(std::move(*op.value));
        return TryRecvResult<T>::none(finished ? RecvStatus::closed : RecvStatus::empty);  // finished with nothing: closed
    }
    template <class Out>
    std::size_t try_recv_batch(Out& out, std::size_t max) {
        typename Flavour::template RecvBatchOp<Out> op{{&out, check_batch_max(max)}};
        self().attempt_now(op);
        return std::move(op).result();
    }

    // Blocking (the calling thread parks).
    [[gnu::always_inline]] SendResult<T> send(T&& value) { return block<typename Flavour::SendOp>(std::move(value)); }
    std::size_t send_batch(std::span<T> items) { return block<typename Flavour::SendBatchOp>(items); }
    [[gnu::always_inline]] std::optional<T> recv() { return block<typename Flavour::RecvOp>(); }
    template <class Out>
    std::size_t recv_batch(Out& out, std::size_t max) {
        return block<typename Flavour::template RecvBatchOp<Out>>(&out, check_batch_max(max));
    }

    // Blocking with a deadline: a timed-out send hands its value back as full(); a timed-out
    // receive reports empty().
    template <class Clock, class Duration>
    SendResult<T> send_until(T&& value, std::chrono::time_point<Clock, Duration> deadline) {
        Waiter<typename Flavour::SendOp> w(self(), std::move(value));
        block_on_until<typename Sync::deadline_parker>(w, deadline);
        return std::move(w).result();
    }
    template <class Clock, class Duration>
    TryRecvResult<T> recv_until(std::chrono::time_point<Clock, Duration> deadline) {
        Waiter<typename Flavour::RecvOp> w(self());
        if (!block_on_until<typename Sync::deadline_parker>(w, deadline)) return TryRecvResult<T>::none(RecvStatus::empty);
        std::optional<T> v = std::move(w).result();
        return v ? TryRecvResult<T>::of(std::move(*v)) : TryRecvResult<T>::none(RecvStatus::closed);
    }

    // Awaitable (the calling task suspends).
    auto send_async(T&& value) { return OpAwaiter<Waiter<typename Flavour::SendOp>>(self(), std::move(value)); }
    auto send_batch_async(std::span<T> items) { return OpAwaiter<Waiter<typename Flavour::SendBatchOp>>(self(), items); }
    auto recv_async() { return OpAwaiter<Waiter<typename Flavour::RecvOp>>(self()); }
    template <class Out>
    auto recv_batch_async(Out& out, std::size_t max) {
        return OpAwaiter<Waiter<typename Flavour::template RecvBatchOp<Out>>>(self(), &out, check_batch_max(max));
    }

protected:
    ChannelApi() = default;
    ~ChannelApi() = default;

private:
    template <class Op, class F = Flavour>  // F defers the lookup until Flavour is complete
    using Waiter = typename F::template Waiter<Op>;

    Flavour& self() noexcept { return static_cast<Flavour&>(*this); }

    // Most calls finish at once: the first attempt needs no wait-list node and no parker, so it
    // is made without them. Only if it cannot finish does the operation, with whatever progress it
    // made (part of a batch), move into a Waiter, which attempts again before it links.
    // Inlined into the caller: returned from a call, a std::optional<u64> result goes through the
    // stack as a 1-byte store read back by an 8-byte load, a store-forwarding stall that perf
    // showed as a fifth of a receive's cost (GCC 12).
    template <class Op, class... Args>
    [[gnu::always_inline]] decltype(auto) block(Args&&... args) {
        Op op{{std::forward<Args>(args)...}};
        if (self().attempt_now(op)) return std::move(op).result();
        return wait_for(std::move(op));
    }
    template <class Op>
    [[gnu::noinline]] decltype(auto) wait_for(Op&& started) {
        // A few more attempts, each after a short exponential spin, before linking and parking: a
        // party that finds the channel momentarily empty (or full) most often finds it ready again
        // within a microsecond, far sooner than a park and a wake-up (two system calls and a
        // context switch) would let it go on. No yields: on an oversubscribed machine the spins stay short.
        for (std::size_t round = 0; round < Sync::kSpinRoundsBeforeWait; ++round) {
            for (std::size_t i = 0; i < (std::size_t{2} << round); ++i) cpu_relax();
            if (self().attempt_if_free(started)) return std::move(started).result();
        }
        Waiter<Op> waiter(self(), std::move(started));
        block_on<typename Sync::parker>(waiter);
        return std::move(waiter).result();
    }
};

}  // namespace wakerbench::detail
