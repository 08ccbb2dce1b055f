#pragma once
// Wakers taken from a wait list under the channel lock and invoked after it is released.

#include <cstddef>
#include <new>
#include <utility>

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
    FixedWakeBatch() noexcept {}  // storage stays uninitialised: every operation makes two batches
    FixedWakeBatch(const FixedWakeBatch&) = delete;
    FixedWakeBatch& operator=(const FixedWakeBatch&) = delete;
    [[gnu::always_inline]] ~FixedWakeBatch() {
        if (size_ != 0) drop_all();  // almost always empty: kept inline, the loop is not
    }

    [[nodiscard]] bool full() const noexcept { return size_ == K; }
    [[nodiscard]] std::size_t size() const noexcept { return size_; }
    void push(Waker&& w) noexcept { ::new (static_cast<void*>(&storage_[size_++])) Waker(std::move(w)); }
    // The targets of the wakers held, oldest first: what the audit (audited.hpp) checks a take by.
    template <class F>
    void for_each_target(F&& f) const noexcept {
        for (std::size_t i = 0; i < size_; ++i) f(std::launder(reinterpret_cast<const Waker*>(&storage_[i]))->data());
    }

    // Call with no lock held: waking runs the waker's code (an unpark, an executor's schedule).
    void wake_all() noexcept {
        for (std::size_t i = 0; i < size_; ++i) {
            at(i).wake();
            at(i).~Waker();
        }
        size_ = 0;
    }

private:
    void drop_all() noexcept {
        for (std::size_t i = 0; i < size_; ++i) at(i).~Waker();  // unwoken wakers are dropped
    }

    struct alignas(Waker) Raw {
        unsigned char bytes[sizeof(Waker)];
    };
    Waker& at(std::size_t i) noexcept { return *std::launder(reinterpret_cast<Waker*>(&storage_[i])); }

    Raw storage_[K];
    std::size_t size_ = 0;
};

}  // namespace wakerbench
