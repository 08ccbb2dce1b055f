#pragma once
// RelacySync: the Sync policy (impls/include/wakerbench/sync/std_sync.hpp) over Relacy, so that
// the unchanged channel code runs under the model checker and every shared access is checked.
//   mutex      rl::mutex
//   atomic<T>  rl::atomic<T>, with std::atomic's member names and std::memory_order arguments
//   cell<T>    the value plus a shadow rl::var<int>: read() loads the shadow, write() stores it.
//              rl::var only holds scalars, and a cell holds containers and Wakers; the shadow
//              gives Relacy the same happens-before check, so an access outside the lock is
//              reported as a data race.
//   parkers    relacy_parker.hpp
// Every call records its caller's source location in Relacy's history (std::source_location
// default arguments), so a failing history points at channel code, not at this file.

#include "relacy_prelude.hpp"
#include "relacy_parker.hpp"

namespace wakerbench::modelcheck {

using Loc = std::source_location;

inline rl::debug_info at(const Loc& loc) noexcept { return rl::debug_info(loc.function_name(), loc.file_name(), loc.line()); }

constexpr rl::memory_order to_rl(std::memory_order mo) noexcept {
    switch (mo) {
        case std::memory_order_relaxed: return rl::mo_relaxed;
        case std::memory_order_consume: return rl::mo_consume;
        case std::memory_order_acquire: return rl::mo_acquire;
        case std::memory_order_release: return rl::mo_release;
        case std::memory_order_acq_rel: return rl::mo_acq_rel;
        case std::memory_order_seq_cst: return rl::mo_seq_cst;
    }
    return rl::mo_seq_cst;
}

class RelacyMutex {
public:
    RelacyMutex() = default;
    RelacyMutex(const RelacyMutex&) = delete;
    RelacyMutex& operator=(const RelacyMutex&) = delete;

    void lock(Loc loc = Loc::current()) { m_.lock(at(loc)); }
    bool try_lock(Loc loc = Loc::current()) { return m_.try_lock(at(loc)); }
    void unlock(Loc loc = Loc::current()) { m_.unlock(at(loc)); }

private:
    rl::mutex m_;
};

template <class T>
class RelacyAtomic {
    static constexpr auto kSeqCst = std::memory_order_seq_cst;

public:
    RelacyAtomic(T value = T{}) : a_(value) {}  // NOLINT(google-explicit-constructor): like std::atomic
    RelacyAtomic(const RelacyAtomic&) = delete;
    RelacyAtomic& operator=(const RelacyAtomic&) = delete;

    T load(std::memory_order mo = kSeqCst, Loc loc = Loc::current()) const { return a_.load(to_rl(mo), at(loc)); }
    void store(T v, std::memory_order mo = kSeqCst, Loc loc = Loc::current()) { a_.store(v, to_rl(mo), at(loc)); }
    T exchange(T v, std::memory_order mo = kSeqCst, Loc loc = Loc::current()) { return a_.exchange(v, to_rl(mo), at(loc)); }
    T fetch_add(T v, std::memory_order mo = kSeqCst, Loc loc = Loc::current()) { return a_.fetch_add(v, to_rl(mo), at(loc)); }
    T fetch_sub(T v, std::memory_order mo = kSeqCst, Loc loc = Loc::current()) { return a_.fetch_sub(v, to_rl(mo), at(loc)); }

    bool compare_exchange_weak(T& expected, T desired, std::memory_order mo = kSeqCst, Loc loc = Loc::current()) {
        return a_.compare_exchange_weak(expected, desired, to_rl(mo), at(loc));
    }
    bool compare_exchange_weak(T& expected, T desired, std::memory_order success, std::memory_order failure, Loc loc = Loc::current()) {
        return a_.compare_exchange_weak(expected, desired, to_rl(success), at(loc), to_rl(failure), at(loc));
    }
    bool compare_exchange_strong(T& expected, T desired, std::memory_order mo = kSeqCst, Loc loc = Loc::current()) {
        return a_.compare_exchange_strong(expected, desired, to_rl(mo), at(loc));
    }
    bool compare_exchange_strong(T& expected, T desired, std::memory_order success, std::memory_order failure, Loc loc = Loc::current()) {
        return a_.compare_exchange_strong(expected, desired, to_rl(success), at(loc), to_rl(failure), at(loc));
    }

private:
    rl::atomic<T> a_;
};

template <class T>
class RelacyCell {
public:
    template <class... Args>
    explicit RelacyCell(Args&&... args) : value_(std::forward<Args>(args)...), shadow_(0) {}
    RelacyCell(const RelacyCell&) = delete;
    RelacyCell& operator=(const RelacyCell&) = delete;

    [[nodiscard]] const T& read(Loc loc = Loc::current()) const {
        (void)static_cast<int>(shadow_(at(loc)));
        return value_;
    }
    [[nodiscard]] T& write(Loc loc = Loc::current()) {
        shadow_(at(loc)) = 0;
        return value_;
    }

private:
    T value_;
    rl::var<int> shadow_;
};

// The seeded bug armed for the current check (sync/faults.hpp); Fault::none for ordinary checks.
// Set before a simulation starts and constant during it, so every iteration is reproducible.
inline Fault armed_fault = Fault::none;

struct RelacySync {
    using mutex = RelacyMutex;
    template <class T>
    using atomic = RelacyAtomic<T>;
    template <class T>
    using cell = RelacyCell<T>;
    using parker = RelacyParker;
    using deadline_parker = RelacyDeadlineParker;
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
