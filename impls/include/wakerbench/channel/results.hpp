#pragma once
// What send and receive operations return. Nothing is silently lost: a send that fails hands its
// value back.

#include <optional>
#include <utility>

namespace wakerbench {

enum class SendStatus { sent, full, closed };

template <class T>
class [[nodiscard]] SendResult {
public:
    static SendResult ok() { return SendResult(SendStatus::sent); }
    static SendResult rejected(SendStatus why, T&& value) {
        SendResult r(why);
        r.rejected_.emplace(std::move(value));
        return r;
    }

    [[nodiscard]] SendStatus status() const noexcept { return status_; }
    [[nodiscard]] bool sent() const noexcept { return status_ == SendStatus::sent; }
    [[nodiscard]] bool full() const noexcept { return status_ == SendStatus::full; }
    [[nodiscard]] bool closed() const noexcept { return status_ == SendStatus::closed; }
    explicit operator bool() const noexcept { return sent(); }

    // The value handed back by a send that did not happen. Precondition: !sent().
    T& value() & { return *rejected_; }
    T&& value() && { return std::move(*rejected_); }

private:
    // Built in place rather than from an optional temporary: GCC 12 at -O1 reports a spurious
    // maybe-uninitialized on the moved-from optional<std::string>.
    explicit SendResult(SendStatus s) : status_(s) {}
    SendStatus status_;
    std::optional<T> rejected_;
};

enum class RecvStatus { received, empty, closed };

template <class T>
class [[nodiscard]] TryRecvResult {
public:
    static TryRecvResult of(T&& v) {
        TryRecvResult r(RecvStatus::received);
        r.value_.emplace(std::move(v));
        return r;
    }
    static TryRecvResult none(RecvStatus why) { return TryRecvResult(why); }

    [[nodiscard]] RecvStatus status() const noexcept { return status_; }
    [[nodiscard]] bool received() const noexcept { return status_ == RecvStatus::received; }
    [[nodiscard]] bool empty() const noexcept { return status_ == RecvStatus::empty; }
    [[nodiscard]] bool closed() const noexcept { return status_ == RecvStatus::closed; }
    explicit operator bool() const noexcept { return received(); }

    // Precondition: received().
    T& operator*() & { return *value_; }
    T&& operator*() && { return std::move(*value_); }
    T* operator->() { return &*value_; }
    std::optional<T> take() && { return std::move(value_); }

private:
    explicit TryRecvResult(RecvStatus s) : status_(s) {}  // see SendResult
    RecvStatus status_;
    std::optional<T> value_;
};

}  // namespace wakerbench
