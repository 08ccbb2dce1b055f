#pragma once
// DeadlineParker: a ThreadParker that can also give up at a deadline (recv_until, send_until).
// C++20's std::atomic::wait has no timeout and libstdc++'s notify skips the futex wake unless the
// waiter registered through its own (untimed) wait, so a timed parker cannot share that path: this
// one uses the raw futex (`Sync::futex`'s wait_until and wake_one, sync/futex.hpp). A template over
// the Sync policy, so the model checker runs this same protocol over its modelled futex and clock.
//
// States follow Rust's futex parker: kEmpty (armed), kParked (asleep in the kernel, so a waker
// must make the wake syscall), kNotified (woken; the waker only needs its store).

#include <chrono>
#include <cstdint>

#include "wakerbench/sync/faults.hpp"
#include "wakerbench/waker.hpp"

namespace wakerbench {

template <class Sync>
class BasicDeadlineParker {
    using Futex = typename Sync::futex;

public:
    using clock = std::chrono::steady_clock;  // CLOCK_MONOTONIC, which FUTEX_WAIT_BITSET uses

    BasicDeadlineParker() = default;
    BasicDeadlineParker(const BasicDeadlineParker&) = delete;
    BasicDeadlineParker& operator=(const BasicDeadlineParker&) = delete;

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
        if (Futex::passed(deadline)) return state_.load(std::memory_order_acquire) == kNotified;
        std::uint32_t s = kEmpty;
        // acquire on failure: we were already woken; see what the waker did before it woke us.
        if (!state_.compare_exchange_strong(s, kParked, std::memory_order_acquire, std::memory_order_acquire)) return true;
        for (;;) {
            // Returns on a wake, at the deadline, spuriously, or at once if no longer kParked.
            Futex::wait_until(state_, kParked, deadline);
            // acquire: pairs with the release exchange in unpark().
            if (state_.load(std::memory_order_acquire) == kNotified) return true;
            if (Futex::passed(deadline)) {
                if (Sync::injects(Fault::timeout_overwrites_wake)) {
                    state_.store(kEmpty, std::memory_order_relaxed);
                    return false;
                }
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

    static void unpark(void* data) noexcept {
        auto* self = static_cast<BasicDeadlineParker*>(data);
        const std::uint32_t asleep = Sync::injects(Fault::unpark_misreads_parked) ? kEmpty : kParked;
        // release: publishes the waker's prior writes to the parked thread. The thread may already
        // have seen kNotified (a spurious futex return) and left: the wake only uses the address as
        // a key and never touches the memory (sync/futex.hpp).
        if (self->state_.exchange(kNotified, std::memory_order_release) == asleep) Futex::wake_one(self->state_);
    }
    static void forget(void*) noexcept {}

    static constexpr WakerVTable kVTable{&unpark, &forget};

    typename Futex::word state_{kEmpty};
};

}  // namespace wakerbench
