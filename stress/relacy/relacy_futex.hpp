#pragma once
// The kernel, as RelacySync models it: a futex, a clock, and the process-wide objects of one
// simulated execution. The parkers and the task runtime run unchanged over it (RelacySync::futex
// is the `Sync::futex` of sync/futex.hpp), so the checker explores their own protocols: the
// parkers' states, the order of a store and its wake, a timeout racing a wake.
//
// Futex. A wait re-checks the word and goes to sleep under the lot's mutex, and a wake takes that
// mutex after the waker's store, so a wake cannot fall between a sleeper's check and its sleep:
// the atomicity the kernel's futex hash gives. The lot outlives every word, as the kernel's hash
// does, and a wake never touches the word: the parker may already be gone (ThreadParker's unpark
// relies on exactly that). Sleeps may end spuriously (Relacy's condition variables wake up to 10
// times for nothing under the random scheduler), as a real futex does on a signal.
//
// Clock. Time is the checker's to choose, but it only moves forward: `passed(t)` may say yes at
// any call (and from then on every deadline up to t has passed, for every thread), and a timed
// wait may time out at any point, which moves the clock to its deadline. So the model explores a
// deadline falling at every step of the protocol without real time in the simulation.

#include "relacy_primitives.hpp"

namespace wakerbench::modelcheck {

// A condition variable that tells a timeout from a spurious or real wake-up, which the futex model
// needs (a timeout moves the clock); std's wait_for reports both as false.
struct ModelCondvarTag;
class ModelCondvar : public rl::condvar<ModelCondvarTag> {
public:
    ModelCondvar() { init(true, $); }  // true: spurious wake-ups, as a futex's
    ~ModelCondvar() { deinit($); }
    ModelCondvar(const ModelCondvar&) = delete;
    ModelCondvar& operator=(const ModelCondvar&) = delete;
};

struct ParkingLot {
    rl::mutex mutex;
    ModelCondvar sleepers;
    // The model clock: every deadline up to `now` has passed. Not program state: only the model
    // reads and writes it, one simulated thread at a time.
    std::chrono::steady_clock::time_point now = std::chrono::steady_clock::time_point::min();
};

// The lot of the simulation that is running; each scenario owns one and installs it (ScopedLot).
inline ParkingLot* current_lot = nullptr;

struct RelacyFutex {
    using word = RelacyAtomic<std::uint32_t>;
    using time_point = std::chrono::steady_clock::time_point;

    static void wait(word& w, std::uint32_t old) noexcept { sleep(w, old, time_point::max()); }
    static void notify_one(word& w) noexcept { wake(w); }
    static void notify_all(word& w) noexcept { wake(w); }
    static void wait_until(word& w, std::uint32_t old, time_point deadline) noexcept { sleep(w, old, deadline); }
    static void wake_one(word& w) noexcept { wake(w); }

    static bool passed(time_point deadline) noexcept {
        ParkingLot& lot = *current_lot;
        if (deadline <= lot.now) return true;
        if (deadline == time_point::max() || rl::rand(2) == 0) return false;
        lot.now = deadline;  // the checker let time reach the deadline just now
        return true;
    }

private:
    static void sleep(word& w, std::uint32_t old, time_point deadline) noexcept {
        ParkingLot& lot = *current_lot;
        lot.mutex.lock($);
        // relaxed: the futex compares the value only; the caller's own acquire load orders.
        if (w.load(std::memory_order_relaxed) == old) {
            if (deadline == time_point::max()) {
                (void)lot.sleepers.wait(lot.mutex, false, $);
            } else if (deadline > lot.now) {
                if (lot.sleepers.wait(lot.mutex, true, $) == rl::sema_wakeup_reason_timeout && deadline > lot.now) lot.now = deadline;
            }
            // else the deadline has already passed: the kernel returns at once (ETIMEDOUT)
        }
        lot.mutex.unlock($);
    }
    static void wake(word&) noexcept {
        // Every sleeper of the lot wakes and re-checks its own word: a superset of the one the
        // futex would wake, which costs spurious returns only.
        ParkingLot& lot = *current_lot;
        lot.mutex.lock($);
        lot.sleepers.notify_all($);
        lot.mutex.unlock($);
    }
};

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

}  // namespace wakerbench::modelcheck
