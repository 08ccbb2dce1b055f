#pragma once
// The two drivers of a channel operation. A `Waiter` is an operation plus its wait-list node; its
// poll(make_waker) runs the operation under the channel's lock and returns true when it finished,
// or links a waker from make_waker() and returns false. A channel row supplies the Waiter; these
// drivers are the same for every row:
//   block_on      - the calling thread parks on a stack parker between polls (sync API);
//   OpAwaiter     - `co_await`: the task's executor re-polls it when the task is woken (async API).
// Destroying either while it waits (a cancelled coroutine) destroys the Waiter, which withdraws
// from the wait list and passes on a wake-up it may already have been handed.

#include <chrono>
#include <coroutine>
#include <exception>
#include <type_traits>
#include <utility>

#include "wakerbench/runtime/task.hpp"
#include "wakerbench/runtime/task_header.hpp"

namespace wakerbench {

template <class Parker, class Waiter>
void block_on(Waiter& waiter) {
    Parker parker;  // on this stack frame: the waker points here, and we do not return while linked
    while (!waiter.poll([&] { return parker.arm(); })) parker.park();
}

// The same with a deadline (any clock; parkers sleep on the steady clock). Returns false if it
// timed out, having withdrawn the waiter.
template <class Parker, class Waiter, class Clock, class Duration>
bool block_on_until(Waiter& waiter, std::chrono::time_point<Clock, Duration> until) {
    using std::chrono::steady_clock;
    steady_clock::time_point deadline;
    if constexpr (std::is_same_v<Clock, steady_clock>) deadline = std::chrono::time_point_cast<steady_clock::duration>(until);
    else deadline = steady_clock::now() + std::chrono::duration_cast<steady_clock::duration>(until - Clock::now());
    Parker parker;
    while (!waiter.poll([&] { return parker.arm(); })) {
        if (parker.park_until(deadline)) continue;
        if (waiter.withdraw_if_linked()) return false;
        // A notify took our waker before we could withdraw: its unpark is in flight to this stack
        // frame. Take it (it is imminent), then poll: the operation may now succeed. The wake-up
        // is not lost either way: the mutex core passed it on as it settled the withdrawal, and
        // the lock-free core's poll passes it on before we give up at the next turn.
        parker.park();
    }
    return true;
}

template <class Waiter>
class [[nodiscard]] OpAwaiter {
public:
    template <class... Args>
    explicit OpAwaiter(Args&&... args) : waiter_(std::forward<Args>(args)...) {}
    OpAwaiter(const OpAwaiter&) = delete;
    OpAwaiter& operator=(const OpAwaiter&) = delete;

    bool await_ready() noexcept { return false; }  // the first poll needs the task, to build a waker

    template <rt::TaskPromise P>
    bool await_suspend(std::coroutine_handle<P> h) {
        auto* task = h.promise().header;
        if (poll_once(task)) return false;  // finished without waiting (an exception propagates as is)
        // Only the thread running the task reads this (after this resume returns, or when it is
        // next run), and run_task's state transitions order that; a wake that fires on another
        // thread right now just marks the running task notified.
        task->suspend_at(h, &poll<std::remove_pointer_t<decltype(task)>>, this);
        return true;
    }

    decltype(auto) await_resume() {
        if (error_) std::rethrow_exception(std::exchange(error_, nullptr));
        return std::move(waiter_).result();
    }

private:
    // A re-poll runs on the executor, not in the coroutine: an exception thrown there (a user's
    // push_back, an allocation) is kept and rethrown from await_resume, where the coroutine sees it.
    template <class TaskHeader>
    static bool poll(void* self, TaskHeader* task) noexcept {
        auto* me = static_cast<OpAwaiter*>(self);
        try {
            return me->poll_once(task);
        } catch (...) {
            me->error_ = std::current_exception();
            return true;
        }
    }
    template <class TaskHeader>
    bool poll_once(TaskHeader* task) {
        return waiter_.poll([task] { return rt::task_waker(task); });
    }

    Waiter waiter_;
    std::exception_ptr error_;
};

}  // namespace wakerbench
