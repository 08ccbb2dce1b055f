#pragma once
// The operations every channel flavour offers, written once. A flavour (MutexChannel,
// LockFreeChannel) derives from ChannelApi<Flavour, T, Sync> and supplies
//   - four operations, each an op state below plus `bool attempt(Flavour&)` (non-blocking: true
//     when finished, false when it has to wait) and `static constexpr Side kSide`:
//     SendOp, SendBatchOp, RecvOp, RecvBatchOp<Out>;
//   - `Waiter<Op>`: an operation plus its wait-list node, with poll(make_waker) /
//     withdraw_if_linked() / result() as op_awaiter.hpp expects;
//   - `bool attempt_now(Op&)`: one attempt with whatever the flavour wraps around it (a lock).
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
    std::optional<T> result() && { return std::move(value); }
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
    SendResult<T> send(T&& value) { return block<typename Flavour::SendOp>(std::move(value)); }
    std::size_t send_batch(std::span<T> items) { return block<typename Flavour::SendBatchOp>(items); }
    std::optional<T> recv() { return block<typename Flavour::RecvOp>(); }
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

    template <class Op, class... Args>
    decltype(auto) block(Args&&... args) {
        Waiter<Op> waiter(self(), std::forward<Args>(args)...);
        block_on<typename Sync::parker>(waiter);
        return std::move(waiter).result();
    }
};

}  // namespace wakerbench::detail
