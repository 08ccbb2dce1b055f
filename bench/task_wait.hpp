#pragma once
// TaskWait<Derived>: an awaitable that suspends a task until a condition holds, in the runtime's
// protocol for suspended tasks (the one OpAwaiter follows for a channel operation). Derived supplies
//   bool must_wait(rt::TaskHeader* task)
// which answers under Derived's own lock and, when the answer is yes and `task` is given, keeps
// rt::task_waker(task) for whoever makes the condition true. The same call is the re-check a
// woken task makes before it resumes (a wake is a hint), so a wake that comes early costs one look.
// Used by PoolRounds (a party waiting for its round) and Arrivals (a sender waiting for its burst).

#include <coroutine>

#include "wakerbench/runtime/task.hpp"
#include "wakerbench/runtime/task_header.hpp"

namespace wakerbench::bench {

template <class Derived>
class TaskWait {
public:
    bool await_ready() { return !self().must_wait(nullptr); }

    template <rt::TaskPromise P>
    bool await_suspend(std::coroutine_handle<P> h) {
        rt::TaskHeader* task = h.promise().header;
        if (!self().must_wait(task)) return false;
        // As OpAwaiter: only the thread running the task reads this; a wake that arrives before
        // it is set finds the task running and marks it notified.
        task->suspend_at(h, &poll, this);
        return true;
    }

private:
    static bool poll(void* self, rt::TaskHeader* task) noexcept { return !static_cast<TaskWait*>(self)->self().must_wait(task); }
    Derived& self() noexcept { return static_cast<Derived&>(*this); }
};

}  // namespace wakerbench::bench
