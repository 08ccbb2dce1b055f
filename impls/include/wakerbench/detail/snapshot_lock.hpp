#pragma once
// For diagnostics that read state guarded by a lock someone may be holding forever (a deadlock
// being reported): try for a while, then give up rather than hang the reporter too.

#include <chrono>
#include <thread>

namespace wakerbench::detail {

// Takes `m` if it comes free within about 100 ms.
template <class Mutex>
bool try_lock_for_snapshot(Mutex& m) {
    for (int i = 0; i < 100; ++i) {
        if (m.try_lock()) return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    return false;
}

}  // namespace wakerbench::detail
