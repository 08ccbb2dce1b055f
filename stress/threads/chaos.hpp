#pragma once
// Chaos: pauses injected at the synchronisation points of the code under stress (every atomic
// operation, every lock and unlock), armed at run time (wb_stress --chaos). A window a few
// instructions wide (between the two loads of the lock-free end-of-data test, between a publish
// and its notify) opens once per close and is passed in nanoseconds: real threads almost never
// stop inside it. With chaos, a thread stops at one of every few points, so the other parties run
// inside such windows within a CI budget. Disarmed, each point costs one relaxed load.

#include <atomic>
#include <cstdint>
#include <mutex>
#include <thread>

#include "wakerbench/channel/channel_api.hpp"  // detail::cpu_relax

namespace wakerbench::stress {

struct Chaos {
    // Set before any party thread starts (thread creation orders it before every read).
    static inline std::atomic<bool> armed{false};

    // With probability 1/8 give the CPU away (up to 8 party threads on 2 cores: another party
    // then runs inside this window), with 1/8 spin for up to 255 pauses, else go on.
    static void point() noexcept {
        if (!armed.load(std::memory_order_relaxed)) return;  // relaxed: written before the threads started
        thread_local std::uint64_t state = reinterpret_cast<std::uintptr_t>(&state) | 1;  // per thread, never 0
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        switch (state & 7) {
            case 0: std::this_thread::yield(); break;
            case 1:
                for (auto spins = (state >> 8) & 255; spins != 0; --spins) wakerbench::detail::cpu_relax();
                break;
            default: break;
        }
    }
};

// std::atomic with a chaos point before every operation the implementations call. Public
// inheritance hides those members; anything else (operators) goes straight to std::atomic.
template <class T>
class ChaosAtomic : public std::atomic<T> {
    using Base = std::atomic<T>;
    static constexpr auto kSeqCst = std::memory_order_seq_cst;

public:
    using Base::Base;
    ChaosAtomic(const ChaosAtomic&) = delete;
    ChaosAtomic& operator=(const ChaosAtomic&) = delete;

    T load(std::memory_order mo = kSeqCst) const noexcept { return Chaos::point(), Base::load(mo); }
    void store(T v, std::memory_order mo = kSeqCst) noexcept { Chaos::point(), Base::store(v, mo); }
    T exchange(T v, std::memory_order mo = kSeqCst) noexcept { return Chaos::point(), Base::exchange(v, mo); }
    T fetch_add(T v, std::memory_order mo = kSeqCst) noexcept { return Chaos::point(), Base::fetch_add(v, mo); }
    T fetch_sub(T v, std::memory_order mo = kSeqCst) noexcept { return Chaos::point(), Base::fetch_sub(v, mo); }
    bool compare_exchange_weak(T& expected, T desired, std::memory_order mo = kSeqCst) noexcept {
        return Chaos::point(), Base::compare_exchange_weak(expected, desired, mo);
    }
    bool compare_exchange_weak(T& expected, T desired, std::memory_order success, std::memory_order failure) noexcept {
        return Chaos::point(), Base::compare_exchange_weak(expected, desired, success, failure);
    }
    bool compare_exchange_strong(T& expected, T desired, std::memory_order mo = kSeqCst) noexcept {
        return Chaos::point(), Base::compare_exchange_strong(expected, desired, mo);
    }
    bool compare_exchange_strong(T& expected, T desired, std::memory_order success, std::memory_order failure) noexcept {
        return Chaos::point(), Base::compare_exchange_strong(expected, desired, success, failure);
    }
};

// std::mutex with a chaos point on either side of each lock boundary: a pause just after taking
// the lock lengthens the critical section, one just before it lets others overtake.
class ChaosMutex {
public:
    void lock() {
        Chaos::point();
        mutex_.lock();
        Chaos::point();
    }
    bool try_lock() {
        Chaos::point();
        return mutex_.try_lock();
    }
    void unlock() {
        Chaos::point();
        mutex_.unlock();
    }

private:
    std::mutex mutex_;
};

}  // namespace wakerbench::stress
