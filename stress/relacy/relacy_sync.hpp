#pragma once
// RelacySync: the Sync policy (impls/include/wakerbench/sync/std_sync.hpp) over Relacy, so that
// the unchanged library code runs under the model checker and every shared access is checked.
//   mutex, atomic<T>, cell<T>, condition_variable   relacy_primitives.hpp
//   futex (the parkers' and the task runtime's)    relacy_futex.hpp
// The parkers and the task runtime are the library's own, over the modelled futex.

#include "relacy_futex.hpp"
#include "relacy_primitives.hpp"

namespace wakerbench::modelcheck {

// The seeded bug armed for the current check (sync/faults.hpp); Fault::none for ordinary checks.
// Set before a simulation starts and constant during it, so every iteration is reproducible.
inline Fault armed_fault = Fault::none;

struct RelacySync {
    using mutex = RelacyMutex;
    template <class T>
    using atomic = RelacyAtomic<T>;
    template <class T>
    using cell = RelacyCell<T>;
    using condition_variable = RelacyCondVar;
    using futex = RelacyFutex;
    using parker = BasicThreadParker<RelacySync>;
    using deadline_parker = BasicDeadlineParker<RelacySync>;
    // One waker per critical section: every wake of more than one waiter then goes through the
    // lock-take-unlock-wake rounds (and their marks) that large batches only reach with 32+ waiters.
    static constexpr std::size_t kWakeBatch = 1;
    // One extra attempt before a blocking call links: the spin path is checked, without the six
    // rounds multiplying the interleavings to explore.
    static constexpr std::size_t kSpinRoundsBeforeWait = 1;
    static bool injects(Fault f) noexcept { return f == armed_fault; }
    // Per simulated execution (ScopedLot owns them), so each iteration starts from a fresh table
    // whose Relacy objects belong to that iteration.
    template <class T>
    static T& process_wide() {
        return current_process_wide->get<T>();
    }
    // One bucket: the two wait lists of a channel, and every channel, share it, so the model
    // explores a bucket holding other keys' waiters, which real threads reach only on collisions.
    static constexpr std::size_t kHashBuckets = 1;
    // What the library would abort on (a waiter destroyed while linked, a broken audit) fails this
    // execution instead, like an RL_ASSERT: the checker reports it with the history that led
    // there, writes its JSON and goes on with the next check, rather than dying with them unrun.
    [[noreturn]] static void fatal(const char* what) noexcept {
        rl::ctx().fail_test(what, rl::test_result_user_assert_failed, RL_INFO);
        std::abort();  // not reached: fail_test leaves this simulated thread for good
    }
    // Every model runs the wait lists under their audit (waitlist/audited.hpp).
    static constexpr bool kAudits = true;
};

}  // namespace wakerbench::modelcheck
