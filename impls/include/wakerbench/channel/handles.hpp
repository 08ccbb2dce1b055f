#pragma once
// Sender / Receiver: cheap copyable MPMC handles; AsyncSender / AsyncReceiver: the same handles
// with an awaitable API (`co_await atx.send(v)`). Convert freely with .async() / .sync(): sync and
// async handles mix on one channel, and each counts as a sender or receiver. Counts are split:
// the last sender closes the channel for receivers (they drain, then see closed); the last
// receiver destroys what is queued and makes every send fail, handing the value back.
//
// Handles are templated on the channel type rather than type-erased: no virtual call sits between
// the benchmarks and the wait list they measure. `auto [tx, rx] = make_channel<Impl, T>(cap)`
// keeps the spelling short.

#include <chrono>
#include <cstddef>
#include <optional>
#include <span>
#include <utility>

#include "wakerbench/channel/capacity.hpp"
#include "wakerbench/channel/results.hpp"

namespace wakerbench {

template <class Impl, class T>
auto make_channel(Capacity capacity);

namespace detail {

struct AdoptCount {};  // a fresh channel is born holding one sender and one receiver count

// Owns one count of one side of a channel.
template <class Channel, bool kSender>
class Handle {
public:
    using channel_type = Channel;
    using value_type = typename Channel::value_type;

    Handle(const Handle& o) noexcept : c_(o.c_) { retain(); }
    Handle(Handle&& o) noexcept : c_(std::exchange(o.c_, nullptr)) {}
    Handle& operator=(Handle o) noexcept {
        std::swap(c_, o.c_);
        return *this;
    }
    ~Handle() {
        if (!c_) return;
        if constexpr (kSender) c_->release_sender();
        else c_->release_receiver();
    }

    // The channel, for introspection (size, stats) in tests and benchmarks.
    [[nodiscard]] Channel& channel() const noexcept { return *c_; }

protected:
    Handle(Channel* c, AdoptCount) noexcept : c_(c) {}  // takes over a count the caller holds
    explicit Handle(Channel* c) noexcept : c_(c) { retain(); }
    void retain() noexcept {
        if (!c_) return;
        if constexpr (kSender) c_->retain_sender();
        else c_->retain_receiver();
    }
    Channel* c_;
};

// Non-blocking operations: the same on sync and async handles.
template <class Channel>
class SenderBase : public Handle<Channel, true> {
    using T = typename Channel::value_type;

public:
    // full() or closed() hand the value back.
    SendResult<T> try_send(T value) { return this->c_->try_send(std::move(value)); }

protected:
    using Handle<Channel, true>::Handle;
};

template <class Channel>
class ReceiverBase : public Handle<Channel, false> {
    using T = typename Channel::value_type;

public:
    TryRecvResult<T> try_recv() { return this->c_->try_recv(); }
    // Appends up to max (>= 1) queued items to out; 0 if none (empty or closed).
    template <class Out>
    std::size_t try_recv_batch(Out& out, std::size_t max) { return this->c_->try_recv_batch(out, max); }

protected:
    using Handle<Channel, false>::Handle;
};

}  // namespace detail

template <class Channel>
class AsyncSender;
template <class Channel>
class AsyncReceiver;

template <class Channel>
class Sender : public detail::SenderBase<Channel> {
    using Base = detail::SenderBase<Channel>;
    using T = typename Channel::value_type;

public:
    // Blocks while the channel is full. On a closed channel the value comes back in the result.
    [[gnu::always_inline]] SendResult<T> send(T value) { return this->c_->send(std::move(value)); }
    // Moves items in as room appears, waking receivers as it goes; blocks while full. Returns how
    // many were sent: fewer than items.size() only if the channel closed, and the unsent tail is
    // left untouched in the caller's range.
    std::size_t send_batch(std::span<T> items) { return this->c_->send_batch(items); }
    // Gives up at the deadline: full() with the value handed back. The waiter is withdrawn, and a
    // wake-up it had already been handed is passed on.
    template <class Clock, class Duration>
    SendResult<T> send_until(T value, std::chrono::time_point<Clock, Duration> deadline) {
        return this->c_->send_until(std::move(value), deadline);
    }
    template <class Rep, class Period>
    SendResult<T> send_for(T value, std::chrono::duration<Rep, Period> timeout) {
        return send_until(std::move(value), std::chrono::steady_clock::now() + timeout);
    }

    [[nodiscard]] AsyncSender<Channel> async() const { return AsyncSender<Channel>(this->c_); }

private:
    template <class I, class U>
    friend auto make_channel(Capacity);
    friend AsyncSender<Channel>;
    explicit Sender(Channel* c) noexcept : Base(c) {}
    Sender(Channel* c, detail::AdoptCount a) noexcept : Base(c, a) {}
};

template <class Channel>
class Receiver : public detail::ReceiverBase<Channel> {
    using Base = detail::ReceiverBase<Channel>;
    using T = typename Channel::value_type;

public:
    // Blocks while empty; nullopt once the channel is closed and drained.
    [[gnu::always_inline]] std::optional<T> recv() { return this->c_->recv(); }  // inlined: see ChannelApi::block
    // Blocks only while nothing is available, then appends up to max (>= 1) items to out.
    // Returns how many; 0 means closed and drained.
    template <class Out>
    std::size_t recv_batch(Out& out, std::size_t max) { return this->c_->recv_batch(out, max); }
    // Gives up at the deadline: empty(). The waiter is withdrawn, and a wake-up it had already
    // been handed is passed on.
    template <class Clock, class Duration>
    TryRecvResult<T> recv_until(std::chrono::time_point<Clock, Duration> deadline) { return this->c_->recv_until(deadline); }
    template <class Rep, class Period>
    TryRecvResult<T> recv_for(std::chrono::duration<Rep, Period> timeout) {
        return recv_until(std::chrono::steady_clock::now() + timeout);
    }

    [[nodiscard]] AsyncReceiver<Channel> async() const { return AsyncReceiver<Channel>(this->c_); }

private:
    template <class I, class U>
    friend auto make_channel(Capacity);
    friend AsyncReceiver<Channel>;
    explicit Receiver(Channel* c) noexcept : Base(c) {}
    Receiver(Channel* c, detail::AdoptCount a) noexcept : Base(c, a) {}
};

// The awaitables borrow the handle's channel: keep the handle alive until the co_await finishes
// (destroying a suspended coroutine destroys the awaiter first, so a handle in the same frame is fine).
template <class Channel>
class AsyncSender : public detail::SenderBase<Channel> {
    using Base = detail::SenderBase<Channel>;
    using T = typename Channel::value_type;

public:
    auto send(T value) { return this->c_->send_async(std::move(value)); }
    auto send_batch(std::span<T> items) { return this->c_->send_batch_async(items); }

    [[nodiscard]] Sender<Channel> sync() const { return Sender<Channel>(this->c_); }

private:
    friend Sender<Channel>;
    explicit AsyncSender(Channel* c) noexcept : Base(c) {}
};

template <class Channel>
class AsyncReceiver : public detail::ReceiverBase<Channel> {
    using Base = detail::ReceiverBase<Channel>;
    using T = typename Channel::value_type;

public:
    auto recv() { return this->c_->recv_async(); }
    template <class Out>
    auto recv_batch(Out& out, std::size_t max) { return this->c_->recv_batch_async(out, max); }

    [[nodiscard]] Receiver<Channel> sync() const { return Receiver<Channel>(this->c_); }

private:
    friend Receiver<Channel>;
    explicit AsyncReceiver(Channel* c) noexcept : Base(c) {}
};

// Keeps a channel's memory alive for reading (state(), stats()) without being a sender or a
// receiver: an observer never holds a channel open. For watchdogs, which must be able to look at
// a channel whenever they choose, even after its parties have gone.
template <class Channel>
class ChannelObserver {
public:
    template <class Handle>
    explicit ChannelObserver(const Handle& h) noexcept : c_(&h.channel()) {
        c_->retain_observer();
    }
    ChannelObserver(const ChannelObserver&) = delete;
    ChannelObserver& operator=(const ChannelObserver&) = delete;
    ~ChannelObserver() { c_->release_observer(); }

    [[nodiscard]] Channel& channel() const noexcept { return *c_; }

private:
    Channel* c_;
};
template <class Handle>
ChannelObserver(const Handle&) -> ChannelObserver<typename Handle::channel_type>;

// `Impl` is a row from the registry (registry.hpp). Capacity 0 throws std::invalid_argument.
template <class Impl, class T>
auto make_channel(Capacity capacity) {
    using Channel = typename Impl::template channel<T>;
    auto* c = new Channel(capacity);
    return std::pair<Sender<Channel>, Receiver<Channel>>(Sender<Channel>(c, detail::AdoptCount{}),
                                                         Receiver<Channel>(c, detail::AdoptCount{}));
}

}  // namespace wakerbench
