#pragma once
// ThreadParker: lives on a blocked thread's stack; its Waker unparks that thread.
// Built on C++20 std::atomic<uint32_t>::wait/notify (a futex on Linux).

#include <atomic>
#include <cstdint>

#include "wakerbench/waker.hpp"

namespace wakerbench {

class ThreadParker {
public:
    ThreadParker() = default;
    ThreadParker(const ThreadParker&) = delete;
    ThreadParker& operator=(const ThreadParker&) = delete;

    // Arms the parker and returns the one Waker that will release the next park().
    Waker arm() noexcept {
        // relaxed: nobody else can touch state_ until the Waker is published, and publishing it
        // (storing it in a wait list under the channel mutex) is itself a release.
        state_.store(kEmpty, std::memory_order_relaxed);
        return Waker(this, &kVTable);
    }

    // Blocks until the armed Waker has been woken. Spurious futex returns are absorbed here.
    void park() noexcept {
        // acquire: pairs with the release in unpark(), so everything the waker did before waking
        // us (pushing the item we are about to take) is visible once we see kNotified.
        while (state_.load(std::memory_order_acquire) == kEmpty) state_.wait(kEmpty, std::memory_order_acquire);
    }

private:
    static constexpr std::uint32_t kEmpty = 0;
    static constexpr std::uint32_t kNotified = 1;

    static void unpark(void* data) noexcept {
        auto* self = static_cast<ThreadParker*>(data);
        // release: publishes the waker's prior writes to the parked thread (see park()).
        self->state_.store(kNotified, std::memory_order_release);
        // The parked thread may return from park() and pop this stack frame as soon as the store
        // lands, so notify_one can run on an object whose lifetime just ended. libstdc++ only uses
        // the address as a futex key (it never reads *this here), the same reliance as
        // std::binary_semaphore::release and folly::Baton::post; C++26 P2616 makes it formal.
        self->state_.notify_one();
    }
    static void forget(void*) noexcept {}  // a dropped thread waker owns nothing

    static constexpr WakerVTable kVTable{&unpark, &forget};

    std::atomic<std::uint32_t> state_{kEmpty};
};

}  // namespace wakerbench
