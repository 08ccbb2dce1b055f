#pragma once
// The primitives of RelacySync over Relacy's, with std's member names and std::memory_order
// arguments, so that code written for the Sync seam compiles against them unchanged:
//   RelacyMutex      rl::mutex
//   RelacyAtomic<T>  rl::atomic<T>
//   RelacyCell<T>    the value plus a shadow rl::var<int>: read() loads the shadow, write() stores
//                    it. rl::var only holds scalars, and a cell holds containers and Wakers; the
//                    shadow gives Relacy the same happens-before check, so an access outside the
//                    lock is reported as a data race.
//   RelacyCondVar    rl::condition_variable over a std::unique_lock<RelacyMutex>
// Every call records its caller's source location in Relacy's history (std::source_location
// default arguments), so a failing history points at the library's code, not at this file.

#include "relacy_prelude.hpp"

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
    rl::mutex& native() noexcept { return m_; }  // for RelacyCondVar

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
    T fetch_or(T v, std::memory_order mo = kSeqCst, Loc loc = Loc::current()) { return a_.fetch_or(v, to_rl(mo), at(loc)); }

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

// std::condition_variable's waits with a predicate, which is all the library uses. A timed wait
// may time out at any point Relacy chooses (and wake spuriously, as a real one may): the duration
// itself is not modelled.
class RelacyCondVar {
public:
    RelacyCondVar() = default;
    RelacyCondVar(const RelacyCondVar&) = delete;
    RelacyCondVar& operator=(const RelacyCondVar&) = delete;

    template <class Pred>
    void wait(std::unique_lock<RelacyMutex>& lock, Pred pred, Loc loc = Loc::current()) {
        while (!pred()) cv_.wait(lock.mutex()->native(), at(loc));
    }
    template <class Rep, class Period, class Pred>
    bool wait_for(std::unique_lock<RelacyMutex>& lock, std::chrono::duration<Rep, Period> timeout, Pred pred, Loc loc = Loc::current()) {
        while (!pred())
            if (!cv_.wait_for(lock.mutex()->native(), timeout, at(loc))) return pred();
        return true;
    }
    void notify_one(Loc loc = Loc::current()) { cv_.notify_one(at(loc)); }
    void notify_all(Loc loc = Loc::current()) { cv_.notify_all(at(loc)); }

private:
    rl::condition_variable cv_;
};

}  // namespace wakerbench::modelcheck
