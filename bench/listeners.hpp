#pragma once
// Listeners: coroutines that receive from one channel until it closes, each keeping its own
// tally, and Arrivals, the count of items received so far that a task waits on.
// fanout's K receivers and churn's standing waiters are listeners: between items they sit in the
// channel's receiver wait list, which is what those workloads load.

#include <atomic>
#include <coroutine>
#include <cstddef>
#include <cstdint>
#include <mutex>
#include <optional>
#include <vector>

#include "party.hpp"
#include "payload.hpp"
#include "task_wait.hpp"
#include "wakerbench/runtime/spawn.hpp"
#include "wakerbench/runtime/task.hpp"
#include "wakerbench/runtime/task_header.hpp"
#include "wakerbench/runtime/yield.hpp"
#include "wakerbench/waker.hpp"

namespace wakerbench::bench {

// Items received so far, and a wait for "at least n" by a task (co_await reached()). Only an
// arrival that reaches the target the waiter set wakes it, so a burst of thousands of arrivals
// costs the waiter one wake-up.
class Arrivals {
public:
    Arrivals() = default;
    Arrivals(const Arrivals&) = delete;
    Arrivals& operator=(const Arrivals&) = delete;

    // Receiving side: one more item arrived.
    void arrive() noexcept {
        // seq_cst, with the loads of target_ here and of count_ in must_wait(): either this arrival
        // sees the new target, or the waiter's check sees this arrival (no lost wake-up).
        const std::uint64_t n = count_.fetch_add(1, std::memory_order_seq_cst) + 1;
        if (n < target_.load(std::memory_order_seq_cst)) return;
        Waker task;
        {
            std::lock_guard lock(mutex_);
            task = std::move(task_);
        }
        task.wake();
    }

    // Waiting side: what to wake it for, set before the items that reach it exist.
    void expect(std::uint64_t n) noexcept { target_.store(n, std::memory_order_seq_cst); }  // seq_cst: see arrive()

    // A task: `co_await reached()` suspends it until at least the expected count has arrived.
    class Awaiter : public TaskWait<Awaiter> {
    public:
        explicit Awaiter(Arrivals& a) noexcept : arrivals_(a) {}
        bool must_wait(rt::TaskHeader* task) { return arrivals_.must_wait(task); }
        void await_resume() noexcept {}

    private:
        Arrivals& arrivals_;
    };
    Awaiter reached() noexcept { return Awaiter(*this); }

    [[nodiscard]] std::uint64_t count() const noexcept { return count_.load(std::memory_order_seq_cst); }  // seq_cst: see arrive()

private:
    // True while the expected count has not arrived; then, if `task` is given, its waker is kept
    // for the arrival that reaches it.
    bool must_wait(rt::TaskHeader* task) {
        std::lock_guard lock(mutex_);
        // seq_cst: see arrive().
        if (count_.load(std::memory_order_seq_cst) >= target_.load(std::memory_order_seq_cst)) return false;
        if (task) task_ = rt::task_waker(task);
        return true;
    }

    std::atomic<std::uint64_t> count_{0};
    std::atomic<std::uint64_t> target_{~std::uint64_t{0}};
    std::mutex mutex_;
    Waker task_;  // the waiting task's waker, if one waits; under mutex_
};

// How a listener treats an item: nothing more (churn), or as work that takes its turn on the
// executor before the next receive (fanout), so that one receiver woken by a burst does not take
// the whole burst while the others it woke find nothing.
enum class Pace { back_to_back, yield_after_each };

template <class T, class Rx>
rt::Task<void> listen(Rx rx, Arrivals& arrivals, Tally& tally, Pace pace) {
    while (std::optional<T> v = co_await rx.recv()) {
        tally.received_keys += Payload<T>::key(*v);
        ++tally.received;
        if (pace == Pace::yield_after_each) co_await rt::yield_now();
        arrivals.arrive();  // after the work: whoever waits for the arrivals finds this listener receiving again
    }
}

// `count` listeners on `executor` (a pool, or a run loop), each with its own tally. join() waits
// for them to finish, which they do once the channel is closed for receivers (its last sender gone).
template <class T>
class Listeners {
public:
    template <class Receiver>
    Listeners(rt::Executor& executor, const Receiver& rx, std::size_t count, Arrivals& arrivals, Pace pace) : tallies_(count) {
        tasks_.reserve(count);
        for (std::size_t i = 0; i < count; ++i) tasks_.push_back(rt::spawn(executor, listen<T>(rx.async(), arrivals, tallies_[i], pace)));
    }
    [[nodiscard]] bool done() const noexcept {
        for (const auto& t : tasks_)
            if (!t.done()) return false;
        return true;
    }
    void join() {
        for (auto& t : tasks_) t.get();  // rethrows what a listener threw
        tasks_.clear();
    }
    [[nodiscard]] const std::vector<Tally>& tallies() const noexcept { return tallies_; }

private:
    std::vector<Tally> tallies_;
    std::vector<rt::JoinHandle<void>> tasks_;
};

}  // namespace wakerbench::bench
