#pragma once
// The parkers of RelacySync: the same protocol as ThreadParker / DeadlineParker, with the futex
// modelled by Relacy primitives.
//
// ThreadParker's unpark stores kNotified and then issues a futex wake on the parker's address;
// the parked thread may see the store, return and pop the parker's frame before that wake runs,
// which is safe only because the wake uses the address as a key and never touches the memory. The
// model keeps exactly that shape: unpark stores the flag (release) and then wakes through a
// ParkingLot that outlives every parker, as the kernel's futex hash does, and never touches the
// parker after its store. A model in which unpark touched the parker after that store would let
// Relacy report the use of a dead object, which is the point of modelling it this way.
//
// The lot's mutex makes the futex's check-and-sleep atomic: a parker re-checks its flag under the
// lot's lock, and an unparker takes that lock after its store, so a wake cannot fall between a
// parker's check and its sleep. Timed parks may time out at any point Relacy chooses: the model
// explores every deadline, which is how cancellation by timeout is checked.

#include "relacy_prelude.hpp"

namespace wakerbench::modelcheck {

struct ParkingLot {
    rl::mutex mutex;
    rl::condition_variable cv;
};

// The lot of the simulation that is running; each scenario owns one and installs it (ScopedLot).
inline ParkingLot* current_lot = nullptr;

// RelacySync::process_wide's objects for one simulated execution: made on first use (inside the
// execution, so their Relacy primitives belong to it), destroyed in reverse order with the scenario.
class ProcessWide {
public:
    ProcessWide() = default;
    ProcessWide(const ProcessWide&) = delete;
    ProcessWide& operator=(const ProcessWide&) = delete;
    ~ProcessWide() {
        for (auto it = objects_.rbegin(); it != objects_.rend(); ++it) it->destroy(it->object);
    }

    template <class T>
    T& get() {
        for (const Object& o : objects_)
            if (o.type == &kTypeTag<T>) return *static_cast<T*>(o.object);
        T* made = new T;
        objects_.push_back({&kTypeTag<T>, made, [](void* p) { delete static_cast<T*>(p); }});
        return *made;
    }

private:
    template <class T>
    static constexpr char kTypeTag = 0;
    struct Object {
        const char* type;
        void* object;
        void (*destroy)(void*);
    };
    std::vector<Object> objects_;
};
inline ProcessWide* current_process_wide = nullptr;

class RelacyParker {
public:
    RelacyParker() : state_(kEmpty) {}
    RelacyParker(const RelacyParker&) = delete;
    RelacyParker& operator=(const RelacyParker&) = delete;

    Waker arm() noexcept {
        // relaxed: as ThreadParker::arm: the Waker is published under the channel's lock.
        state_.store(kEmpty, rl::mo_relaxed, $);
        return Waker(this, &kVTable);
    }
    void park() noexcept { (void)wait(false); }

protected:
    // True once woken; false if a timed wait gave up first.
    bool wait(bool may_time_out) noexcept {
        ParkingLot& lot = *current_lot;
        bool woken = true;
        lot.mutex.lock($);
        // acquire: pairs with unpark's release, as in ThreadParker::park.
        while (state_.load(rl::mo_acquire, $) == kEmpty) {
            if (!may_time_out) {
                lot.cv.wait(lot.mutex, $);
            } else if (!lot.cv.wait_for(lot.mutex, 0, $)) {  // Relacy decides: timeout (or spurious)
                woken = state_.load(rl::mo_acquire, $) != kEmpty;
                break;
            }
        }
        lot.mutex.unlock($);
        return woken;
    }

private:
    static constexpr unsigned kEmpty = 0;
    static constexpr unsigned kNotified = 1;

    static void unpark(void* data) noexcept {
        auto* self = static_cast<RelacyParker*>(data);
        // release: publishes the waker's prior writes to the parked thread.
        self->state_.store(kNotified, rl::mo_release, $);
        // From here the parker may be gone: only the lot is touched (the futex wake).
        ParkingLot& lot = *current_lot;
        lot.mutex.lock($);
        lot.cv.notify_all($);
        lot.mutex.unlock($);
    }
    static void forget(void*) noexcept {}

    static constexpr WakerVTable kVTable{&unpark, &forget};

    rl::atomic<unsigned> state_;
};

class RelacyDeadlineParker : public RelacyParker {
public:
    // The deadline itself is not modelled: Relacy explores timing out at every point instead.
    bool park_until(std::chrono::steady_clock::time_point) noexcept { return wait(true); }
};

}  // namespace wakerbench::modelcheck
