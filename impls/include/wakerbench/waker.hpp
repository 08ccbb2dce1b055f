#pragma once
// Waker: a move-only, one-shot handle to something blocked (a parked thread or a suspended task).
// Two words, like Rust's RawWaker: a data pointer and a static vtable. Wait lists store Wakers and
// the channel invokes them only after its lock is released.

#include <utility>

namespace wakerbench {

struct WakerVTable {
    void (*wake)(void* data) noexcept;  // consumes the waker: wakes its target exactly once
    void (*drop)(void* data) noexcept;  // consumes the waker without waking (releases what it holds)
};

class Waker {
public:
    Waker() noexcept = default;
    Waker(void* data, const WakerVTable* vtable) noexcept : data_(data), vtable_(vtable) {}

    Waker(Waker&& other) noexcept
        : data_(std::exchange(other.data_, nullptr)), vtable_(std::exchange(other.vtable_, nullptr)) {}
    Waker& operator=(Waker&& other) noexcept {
        if (this != &other) {
            reset();
            data_ = std::exchange(other.data_, nullptr);
            vtable_ = std::exchange(other.vtable_, nullptr);
        }
        return *this;
    }
    Waker(const Waker&) = delete;
    Waker& operator=(const Waker&) = delete;
    ~Waker() { reset(); }

    explicit operator bool() const noexcept { return vtable_ != nullptr; }

    // One-shot: after wake() the Waker is empty. Waking an empty Waker is a no-op.
    void wake() noexcept {
        if (vtable_) std::exchange(vtable_, nullptr)->wake(std::exchange(data_, nullptr));
    }

    // Identity of the target, for wait lists that must find a waiter's entry (vec, vec_reuse).
    [[nodiscard]] const void* data() const noexcept { return data_; }

private:
    void reset() noexcept {
        if (vtable_) std::exchange(vtable_, nullptr)->drop(std::exchange(data_, nullptr));
    }

    void* data_ = nullptr;
    const WakerVTable* vtable_ = nullptr;
};

static_assert(sizeof(Waker) == 2 * sizeof(void*), "a Waker is two words");

}  // namespace wakerbench
