#pragma once
// FaultySync: StdSync with the seeded bugs of sync/faults.hpp armed at run time, so the stress
// suite can prove that its checks catch a lost wake-up on real threads (the same faults the model
// checker arms under RelacySync). Only wb_stress --fault uses it; every other run uses StdSync
// itself, whose injects() is a constexpr false, so the code under test is the code users get.

#include "wakerbench/sync/faults.hpp"
#include "wakerbench/sync/std_sync.hpp"

namespace wakerbench::stress {

struct FaultySync : StdSync {
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
