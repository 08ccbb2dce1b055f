#pragma once
// co_await rt::yield_now(): the task goes to the back of its executor's run queue and resumes
// after the tasks already waiting there (tokio's yield_now). It uses the runtime's own rule for a
// task woken while it runs (task_header.hpp: "running --wake--> notified --suspends--> scheduled"),
// so it costs one re-queue and allocates nothing.

#include <coroutine>

#include "wakerbench/runtime/task.hpp"
#include "wakerbench/runtime/task_header.hpp"

namespace wakerbench::rt {

class YieldAwaiter {
public:
    bool await_ready() noexcept { return false; }
    template <TaskPromise P>
    void await_suspend(std::coroutine_handle<P> h) noexcept {
        auto* task = h.promise().header;
        task->suspend_at(h);  // no poll hook: nothing to re-check, resume when run
        task_waker(task).wake();  // the task is running: it is marked notified and re-queued at the back
    }
    void await_resume() noexcept {}
};

inline YieldAwaiter yield_now() noexcept { return {}; }

}  // namespace wakerbench::rt
