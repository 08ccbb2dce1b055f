#pragma once
// LinuxFutex: what the parkers and the task runtime block on, behind the Sync seam
// (`Sync::futex`), so that the model checker runs their own protocols with a modelled kernel
// (stress/relacy/relacy_futex.hpp) instead of a rewrite of them.
//
//   word                   the 32-bit atomic a thread sleeps on (std::atomic<std::uint32_t>)
//   wait(w, old)           sleeps while w == old; may return spuriously. C++20 atomic wait:
//   notify_one(w), notify_all(w)   libstdc++'s futex path, which counts its sleepers
//   wait_until(w, old, t)  the raw futex: sleeps while w == old, until woken or the steady clock
//   wake_one(w)            reaches t; may return spuriously. libstdc++'s notify skips the syscall
//                          unless the sleeper registered through its own wait, so a timed parker
//                          cannot use the pair above, and these two never mix with it either
//   passed(t)              whether the steady clock has reached t
// Every wait re-checks nothing on return: the caller loops on its own state, which is what makes
// a spurious return harmless. Every wake and notify uses the word's address only as a key and
// never reads the memory, so it may run after the sleeper has returned and popped the word's
// frame (C++26 P2616 makes that formal for std::atomic; the raw futex always allowed it).

#include <linux/futex.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <ctime>

namespace wakerbench {

struct LinuxFutex {
    using word = std::atomic<std::uint32_t>;
    using time_point = std::chrono::steady_clock::time_point;  // CLOCK_MONOTONIC, as FUTEX_WAIT_BITSET

    static void wait(word& w, std::uint32_t old) noexcept { w.wait(old, std::memory_order_relaxed); }
    static void notify_one(word& w) noexcept { w.notify_one(); }
    static void notify_all(word& w) noexcept { w.notify_all(); }

    static void wait_until(word& w, std::uint32_t old, time_point deadline) noexcept {
        timespec abs{};
        const timespec* timeout = nullptr;
        if (deadline != time_point::max()) {
            const auto ns = std::chrono::duration_cast<std::chrono::nanoseconds>(deadline.time_since_epoch()).count();
            abs.tv_sec = static_cast<time_t>(ns / 1'000'000'000);
            abs.tv_nsec = static_cast<long>(ns % 1'000'000'000);
            timeout = &abs;
        }
        // Returns on a wake, at the deadline, on a signal, or at once if w != old.
        syscall(SYS_futex, &w, FUTEX_WAIT_BITSET_PRIVATE, old, timeout, nullptr, FUTEX_BITSET_MATCH_ANY);
    }
    static void wake_one(word& w) noexcept { syscall(SYS_futex, &w, FUTEX_WAKE_PRIVATE, 1, nullptr, nullptr, 0); }

    // No clock read for the untimed park (deadline max), which never passes.
    static bool passed(time_point deadline) noexcept {
        return deadline != time_point::max() && std::chrono::steady_clock::now() >= deadline;
    }
};

}  // namespace wakerbench
