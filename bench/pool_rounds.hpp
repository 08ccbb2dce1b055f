#pragma once
// PoolRounds: the round structure of Crew (crew.hpp) for parties that are coroutines on a thread
// pool, where nobody may block a worker thread at a barrier. A party task awaits begin(me): it is
// suspended, its task waker kept here, until the driving thread opens the next round and wakes
// every waiting party (outside the lock, like any channel wake). end(me) counts the party out; the
// last one wakes the driving thread. Between rounds every party is suspended here, so the driving
// thread reads the counters at a quiescent point, as with the Crew's barrier.
//
// Nothing here allocates after construction (the two waker vectors are reserved for every party
// and swapped), so the allocation counters of a round measure the channel and the executor only.

#include <atomic>
#include <chrono>
#include <coroutine>
#include <cstddef>
#include <cstdint>
#include <mutex>
#include <utility>
#include <vector>

#include "task_wait.hpp"
#include "wakerbench/runtime/task_header.hpp"
#include "wakerbench/waker.hpp"

namespace wakerbench::bench {

class PoolRounds {
public:
    explicit PoolRounds(std::size_t parties) : parties_(parties), awaited_(parties, 0) {
        waiting_.reserve(parties);
        waking_.reserve(parties);
    }
    PoolRounds(const PoolRounds&) = delete;
    PoolRounds& operator=(const PoolRounds&) = delete;
    ~PoolRounds() { stop(); }

    // Driving thread: opens the next round, waits until every party has ended it, and returns its
    // wall time in seconds (waking the parties included, as the Crew's includes its barrier).
    double run_round() {
        const auto t0 = std::chrono::steady_clock::now();
        open_round();
        for (std::size_t left; (left = remaining()) != 0;) remaining_.wait(left, std::memory_order_acquire);
        return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    }

    // Driving thread, when the parties run on an executor it runs itself (a RunLoop: the counted seq
    // of bench/count/inline_rig.hpp): opens the next round without waiting for it; the round is
    // over once round_ended().
    void open_round() {
        // relaxed: published to the parties by open()'s mutex and to us by their acq_rel decrements.
        remaining_.store(parties_, std::memory_order_relaxed);
        open([this] { ++opened_; });
    }
    [[nodiscard]] bool round_ended() const noexcept { return remaining() == 0; }

    // Driving thread: every party's next begin() returns false. Idempotent.
    void stop() {
        open([this] { stopping_ = true; });
    }

    // Party side (party.hpp). begin() suspends the task until the next round opens; it resumes
    // with false once the rounds are stopping.
    class BeginAwaiter : public TaskWait<BeginAwaiter> {
    public:
        BeginAwaiter(PoolRounds& r, std::uint64_t round) noexcept : rounds_(r), round_(round) {}
        bool must_wait(rt::TaskHeader* task) { return rounds_.still_closed(round_, task); }
        bool await_resume() noexcept {
            std::lock_guard lock(rounds_.mutex_);
            return !rounds_.stopping_;
        }

    private:
        PoolRounds& rounds_;
        std::uint64_t round_;
    };

    BeginAwaiter begin(std::size_t party) { return {*this, ++awaited_[party]}; }  // awaited_[party]: that party's own
    std::suspend_never end(std::size_t /*party*/) noexcept {
        // acq_rel: releases this party's round to the driving thread; the last one wakes it.
        if (remaining_.fetch_sub(1, std::memory_order_acq_rel) == 1) remaining_.notify_one();
        return {};
    }

private:
    // Parties that have not yet ended the round. acquire: pairs with the last party's decrement, so
    // everything the round did is visible once this reads 0.
    [[nodiscard]] std::size_t remaining() const noexcept { return remaining_.load(std::memory_order_acquire); }

    // True if round `round` has not opened and the rounds are not stopping; then, if `task` is
    // given, its waker is kept for the opening.
    bool still_closed(std::uint64_t round, rt::TaskHeader* task) {
        std::lock_guard lock(mutex_);
        if (stopping_ || opened_ >= round) return false;
        if (task) waiting_.push_back(rt::task_waker(task));  // reserved: never allocates
        return true;
    }

    // Changes the state under the lock, then wakes every waiting party outside it.
    template <class Change>
    void open(Change change) {
        {
            std::lock_guard lock(mutex_);
            change();
            waking_.swap(waiting_);
        }
        for (Waker& w : waking_) w.wake();
        waking_.clear();  // keeps the capacity
    }

    const std::size_t parties_;
    std::vector<std::uint64_t> awaited_;  // per party: the round it waits for; touched only by that party
    std::mutex mutex_;
    std::uint64_t opened_ = 0;     // rounds opened so far; under mutex_
    bool stopping_ = false;        // under mutex_
    std::vector<Waker> waiting_;   // under mutex_
    std::vector<Waker> waking_;    // the driving thread's
    std::atomic<std::size_t> remaining_{0};
};

}  // namespace wakerbench::bench
