#pragma once
// ThreadParker: lives on a blocked thread's stack; its Waker unparks that thread. A template over
// the Sync policy for its futex (sync/futex.hpp): StdSync's is C++20 std::atomic<uint32_t>::wait
// and notify (a futex on Linux), and the model checker runs this same code over its modelled one.

#include <cstdint>

#include "wakerbench/sync/faults.hpp"
#include "wakerbench/waker.hpp"

namespace wakerbench {

template <class Sync>
class BasicThreadParker {
    using Futex = typename Sync::futex;

public:
    BasicThreadParker() = default;
    BasicThreadParker(const BasicThreadParker&) = delete;
    BasicThreadParker& operator=(const BasicThreadParker&) = delete;

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
        while (state_.load(std::memory_order_acquire) == kEmpty) Futex::wait(state_, kEmpty);
    }

private:
    static constexpr std::uint32_t kEmpty = 0;
    static constexpr std::uint32_t kNotified = 1;

    static void unpark(void* data) noexcept {
        auto* self = static_cast<BasicThreadParker*>(data);
        if (Sync::injects(Fault::unpark_notifies_first)) Futex::notify_one(self->state_);
        // release: publishes the waker's prior writes to the parked thread (see park()).
        self->state_.store(kNotified, std::memory_order_release);
        // The parked thread may return from park() and pop this stack frame as soon as the store
        // lands, so the notify can run on an object whose lifetime just ended: it uses the
        // address only as a futex key (sync/futex.hpp), the same reliance as
        // std::binary_semaphore::release and folly::Baton::post.
        if (!Sync::injects(Fault::unpark_notifies_first)) Futex::notify_one(self->state_);
    }
    static void forget(void*) noexcept {}  // a dropped thread waker owns nothing

    static constexpr WakerVTable kVTable{&unpark, &forget};

    typename Futex::word state_{kEmpty};
};

}  // namespace wakerbench
