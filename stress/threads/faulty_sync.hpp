#pragma once
// The Sync policies wb_stress runs the rows over. Both are StdSync, the code users get, with two
// changes that make mistakes visible on real threads:
//   - the wait-list and wake-rule audits (waitlist/audited.hpp, MutexChannel::audit_wake_rule)
//     in every build, so a waiter woken out of turn, a miscounted pending or a broken list is a
//     failure at once, even when nothing is lost;
//   - a wake batch of 2 instead of 32, so a wake of three or more waiters (a close, a batch send)
//     goes round again, which a plan of at most 8 parties never reaches with 32;
//   - chaos (chaos.hpp): atomics and the mutex with a pause point at every operation, armed by
//     wb_stress --chaos and a single relaxed load otherwise.
// What the library would abort on (an audit, a waiter destroyed while linked) goes to
// invariant_broken (main.cpp): the run's seed and replay command, then an abort, or, with a seeded
// fault armed, CAUGHT.
// FaultySync adds the model checker's seeded bugs (sync/faults.hpp) armed at run time, for
// wb_stress --fault; every other run uses CheckedSync, whose injects() is a constexpr false.

#include <cstddef>

#include "chaos.hpp"
#include "wakerbench/sync/faults.hpp"
#include "wakerbench/sync/std_sync.hpp"

namespace wakerbench::stress {

[[noreturn]] void invariant_broken(const char* what) noexcept;

struct CheckedSync : StdSync {
    using mutex = ChaosMutex;
    template <class T>
    using atomic = ChaosAtomic<T>;
    static constexpr bool kAudits = true;
    static constexpr std::size_t kWakeBatch = 2;
    [[noreturn]] static void fatal(const char* what) noexcept { invariant_broken(what); }
};

struct FaultySync : CheckedSync {
    // Written once, before any party thread starts (thread creation orders it before every read);
    // never while a run is in progress.
    static inline Fault armed = Fault::none;
    static bool injects(Fault f) noexcept { return f == armed; }
};

// A registry row with its Sync policy swapped, for make_channel.
template <class Row, class Sync>
struct WithSync {
    template <class T>
    using channel = typename Row::template channel<T, Sync>;
};

}  // namespace wakerbench::stress
