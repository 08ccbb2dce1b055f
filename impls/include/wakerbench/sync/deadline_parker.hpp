#pragma once
// DeadlineParker: a ThreadParker that can also give up at a deadline (recv_until, send_until).
// C++20's std::atomic::wait has no timeout and libstdc++'s notify skips the futex wake unless the
// waiter registered through its own (untimed) wait, so a timed parker cannot share that path: this
// one talks to the futex directly. Linux only, like the rest of the benchmark suite.
//
// States follow Rust's futex parker: kEmpty (armed), kParked (asleep in the kernel, so a waker
// must make the wake syscall), kNotified (woken; the waker only needs its store).

#include <linux/futex.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <climits>
#include <cstdint>
#include <ctime>

#include "wakerbench/waker.hpp"

namespace wakerbench {

class DeadlineParker {
public:
    using clock = std::chrono::steady_clock;  // CLOCK_MONOTONIC, which FUTEX_WAIT_BITSET uses

    DeadlineParker() = default;
    DeadlineParker(const DeadlineParker&) = delete;
    DeadlineParker& operator=(const DeadlineParker&) = delete;

    Waker arm() noexcept {
        // relaxed: the Waker is not yet published; publishing it (under the channel mutex) releases.
        state_.store(kEmpty, std::memory_order_relaxed);
        return Waker(this, &kVTable);
    }

    void park() noexcept { (void)park_until(clock::time_point::max()); }

    // True if woken, false if the deadline passed first (the parker is then disarmed: a late wake
    // just stores kNotified and makes no syscall).
    bool park_until(clock::time_point deadline) noexcept {
        // Already due (recv_for(0), or a deadline that passed while the waiter linked): give up
        // without the futex call, which would still sleep for the kernel's timer slack (about 50 us
        // on this VM, not 0). The state stays kEmpty, as after a timeout below; acquire: as below.
        if (deadline != clock::time_point::max() && clock::now() >= deadline) return state_.load(std::memory_order_acquire) == kNotified;
        std::uint32_t s = kEmpty;
        // acquire on failure: we were already woken; see what the waker did before it woke us.
        if (!state_.compare_exchange_strong(s, kParked, std::memory_order_acquire, std::memory_order_acquire)) return true;
        for (;;) {
            futex_wait(deadline);
            // acquire: pairs with the release exchange in unpark().
            if (state_.load(std::memory_order_acquire) == kNotified) return true;
            if (clock::now() >= deadline) {
                s = kParked;
                // acquire (needed on failure): a wake raced with our timeout and won; honour it and
                // see what the waker did. On success nothing is read, but GCC rejects a failure
                // order stronger than the success order.
                return !state_.compare_exchange_strong(s, kEmpty, std::memory_order_acquire, std::memory_order_acquire);
            }
        }
    }

private:
    static constexpr std::uint32_t kEmpty = 0;
    static constexpr std::uint32_t kNotified = 1;
    static constexpr std::uint32_t kParked = 2;

    void futex_wait(clock::time_point deadline) noexcept {
        timespec abs{};
        const timespec* timeout = nullptr;
        if (deadline != clock::time_point::max()) {
            const auto ns = std::chrono::duration_cast<std::chrono::nanoseconds>(deadline.time_since_epoch()).count();
            abs.tv_sec = static_cast<time_t>(ns / 1'000'000'000);
            abs.tv_nsec = static_cast<long>(ns % 1'000'000'000);
            timeout = &abs;
        }
        // Returns on wake, timeout, signal, or at once if the state is no longer kParked; the
        // caller re-checks the state in every case.
        syscall(SYS_futex, &state_, FUTEX_WAIT_BITSET_PRIVATE, kParked, timeout, nullptr, FUTEX_BITSET_MATCH_ANY);
    }

    static void unpark(void* data) noexcept {
        auto* self = static_cast<DeadlineParker*>(data);
        // release: publishes the waker's prior writes to the parked thread.
        if (self->state_.exchange(kNotified, std::memory_order_release) == kParked) {
            // The thread may already have seen kNotified (spurious futex return) and left; a
            // private futex wake only uses the address as a key and never touches the memory.
            syscall(SYS_futex, &self->state_, FUTEX_WAKE_PRIVATE, 1, nullptr, nullptr, 0);
        }
    }
    static void forget(void*) noexcept {}

    static constexpr WakerVTable kVTable{&unpark, &forget};

    std::atomic<std::uint32_t> state_{kEmpty};
};

}  // namespace wakerbench
