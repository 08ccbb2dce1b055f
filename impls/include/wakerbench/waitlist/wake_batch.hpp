#pragma once
// Wakers taken from a wait list under the channel lock and invoked after it is released.

#include <array>
#include <cstddef>

#include "wakerbench/waker.hpp"

namespace wakerbench {

// Whom a notify wakes: one waiter per unit of progress (an item or a free slot), or everyone.
enum class WakePolicy { one, all };

// A bounded on-stack batch: wake-one lists hand over at most K wakers per critical section, and
// the channel goes round again (lock, take, unlock, wake) while a batch comes back full. Bounding
// it keeps the critical section short when thousands of waiters are released at once (a close).
template <std::size_t K>
class FixedWakeBatch {
public:
    static constexpr std::size_t kCapacity = K;

    FixedWakeBatch() = default;
    FixedWakeBatch(const FixedWakeBatch&) = delete;
    FixedWakeBatch& operator=(const FixedWakeBatch&) = delete;

    [[nodiscard]] bool full() const noexcept { return size_ == K; }
    [[nodiscard]] std::size_t room() const noexcept { return K - size_; }
    [[nodiscard]] std::size_t size() const noexcept { return size_; }
    void push(Waker&& w) noexcept { wakers_[size_++] = std::move(w); }

    // Call with no lock held: waking runs the waker's code (an unpark, an executor's schedule).
    void wake_all() noexcept {
        for (std::size_t i = 0; i < size_; ++i) wakers_[i].wake();
        size_ = 0;
    }

private:
    std::array<Waker, K> wakers_{};
    std::size_t size_ = 0;
};

}  // namespace wakerbench
