#pragma once
// The Sync seam. Every implementation is a template over a policy that supplies:
//   mutex          - BasicLockable (lock/unlock); the channel's one lock
//   atomic<T>      - std::atomic-compatible
//   cell<T>        - plain data shared between threads and guarded by a mutex; read() for loads,
//                    write() for stores/mutation. Under Relacy each call is an instrumented access,
//                    so an access outside the lock is reported as a data race.
//   condition_variable - std::condition_variable's predicate waits over unique_lock<mutex>
//                    (the task runtime's run queue)
//   futex          - what threads sleep on: a 32-bit atomic word, its waits and wakes, the steady
//                    clock's deadlines (sync/futex.hpp); under the checker, a modelled kernel
//   parker         - blocks one thread until its Waker is woken (arm() -> Waker, park()):
//                    BasicThreadParker<Sync>, over `futex`
//   deadline_parker - the same, plus park_until(deadline) -> woken?; used by the *_until calls:
//                    BasicDeadlineParker<Sync>, over `futex`
//   kWakeBatch     - wakers a wake-one list hands over per critical section (FixedWakeBatch)
//   kSpinRoundsBeforeWait - extra attempts, after spins of 2, 4, 8... pauses, before a blocking
//                    call links and parks (ChannelApi::wait_for)
//   injects(Fault) - whether a seeded bug is armed (sync/faults.hpp); always false outside the checker
//   process_wide<T>() - the one T of the whole process, for state that lives outside every channel
//                    (a parking lot's table of buckets); under the checker, one per simulated run
//   kHashBuckets   - buckets of such a process-wide hash table: many here, one under the checker
//                    (every key then shares it, so the model reaches what collisions reach)
//   fatal(what)    - misuse that cannot be recovered from (a waiter destroyed while linked, a list
//                    corrupted): here it prints and aborts; under the checker it fails the
//                    execution and the checker reports it, with its history, and goes on
//   kAudits        - whether MutexChannel checks its wait lists against their contract after
//                    every call (waitlist/audited.hpp): in debug builds, the stress tool and the
//                    checker; never in a release build's channel
// StdSync maps them to std types at zero cost; RelacySync (stress/relacy) maps them to Relacy's.

#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <mutex>
#include <utility>

#include "wakerbench/detail/die.hpp"
#include "wakerbench/sync/deadline_parker.hpp"
#include "wakerbench/sync/faults.hpp"
#include "wakerbench/sync/futex.hpp"
#include "wakerbench/sync/parker.hpp"

namespace wakerbench {

template <class T>
class StdCell {
public:
    template <class... Args>
    explicit StdCell(Args&&... args) : value_(std::forward<Args>(args)...) {}
    StdCell(const StdCell&) = delete;
    StdCell& operator=(const StdCell&) = delete;

    [[nodiscard]] const T& read() const noexcept { return value_; }
    [[nodiscard]] T& write() noexcept { return value_; }

private:
    T value_;
};

struct StdSync {
    using mutex = std::mutex;
    template <class T>
    using atomic = std::atomic<T>;
    template <class T>
    using cell = StdCell<T>;
    using condition_variable = std::condition_variable;
    using futex = LinuxFutex;
    using parker = BasicThreadParker<StdSync>;
    using deadline_parker = BasicDeadlineParker<StdSync>;
    static constexpr std::size_t kWakeBatch = 32;
    // 3 (14 pauses in all): spsc batch 1 gets all of the benefit (waits per message 0.04 -> 0),
    // and mpmc2x2 at capacity 1, 4 threads on 2 CPUs, loses nothing; with 6 rounds it halved.
    static constexpr std::size_t kSpinRoundsBeforeWait = 3;
    static constexpr bool injects(Fault) noexcept { return false; }
    // Created on first use and never destroyed: threads still parked at exit may touch it.
    template <class T>
    static T& process_wide() {
        static T& instance = *new T;
        return instance;
    }
    // WebKit's ParkingLot and the kernel's futex hash size theirs by threads; 256 keeps unrelated
    // channels apart at the thread counts a sweep reaches, in 16 KiB.
    static constexpr std::size_t kHashBuckets = 256;
    [[noreturn]] static void fatal(const char* what) noexcept { detail::die(what); }
#ifdef NDEBUG
    static constexpr bool kAudits = false;
#else
    static constexpr bool kAudits = true;
#endif
};

using ThreadParker = StdSync::parker;
using DeadlineParker = StdSync::deadline_parker;

}  // namespace wakerbench
