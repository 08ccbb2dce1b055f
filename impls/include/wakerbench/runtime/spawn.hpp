#pragma once
// spawn(executor, task) -> JoinHandle<T>: runs a Task as a root task. The control block and the
// coroutine frames are allocated once here; nothing allocates after that, however often the task
// blocks and is woken.

#include <atomic>
#include <stdexcept>
#include <utility>

#include "wakerbench/runtime/task.hpp"
#include "wakerbench/runtime/task_header.hpp"

namespace wakerbench::rt {

namespace detail {

template <class T, class Sync>
struct RootTask : BasicTaskHeader<Sync> {
    using TaskHeader = BasicTaskHeader<Sync>;
    Task<T, Sync> task;                 // owns the root frame until the task is over
    detail::ResultStore<T> result;  // moved out of the promise when the task finishes
    bool cancelled = false;         // written before kComplete is published (release), read after (acquire)

    static void finish(TaskHeader* h, bool completed) noexcept {
        auto* self = static_cast<RootTask*>(h);
        if (completed) self->result = std::move(static_cast<detail::ResultStore<T>&>(self->task.handle().promise()));
        else self->cancelled = true;
        self->task.reset();
    }
    static void free(TaskHeader* h) noexcept { delete static_cast<RootTask*>(h); }
    static constexpr BasicTaskOps<Sync> kOps{&finish, &free};

    RootTask(BasicExecutor<Sync>& ex, Task<T, Sync>&& t) : TaskHeader(ex, kOps), task(std::move(t)) {
        this->root = task.handle();
        this->suspend_at(task.handle());
        task.handle().promise().header = this;
    }
};

}  // namespace detail

struct TaskCancelled : std::runtime_error {
    TaskCancelled() : std::runtime_error("wakerbench: the task was cancelled before it finished; it has no result") {}
};

template <class T, class Sync = StdSync>
class JoinHandle {
    using TaskHeader = BasicTaskHeader<Sync>;

public:
    JoinHandle() = default;
    JoinHandle(JoinHandle&& o) noexcept : root_(std::exchange(o.root_, nullptr)) {}
    JoinHandle& operator=(JoinHandle o) noexcept {
        std::swap(root_, o.root_);
        return *this;
    }
    ~JoinHandle() {
        if (root_) release(root_);  // detaches: the task runs on
    }

    // True once the task has finished or has been destroyed by a cancel.
    [[nodiscard]] bool done() const noexcept {
        // acquire: pairs with the release that set kComplete, so the result is visible.
        return root_->state.load(std::memory_order_acquire) & TaskHeader::kComplete;
    }

    // Blocks the calling thread (not an executor thread of this task!) until done().
    void wait() const noexcept {
        for (;;) {
            // acquire: as in done().
            std::uint32_t s = root_->state.load(std::memory_order_acquire);
            if (s & TaskHeader::kComplete) return;
            Sync::futex::wait(root_->state, s);
        }
    }

    // Requests destruction of the task's frames, whatever it is suspended on. Its pending channel
    // operations are withdrawn, and a wake-up already handed to it is passed on to another waiter.
    void cancel() const noexcept { cancel_task(root_); }

    [[nodiscard]] bool cancelled() const noexcept { return done() && root_->cancelled; }

    // Waits, then returns the task's result or rethrows its exception; throws TaskCancelled if
    // the task was cancelled before it finished.
    T get() {
        wait();
        if (root_->cancelled) throw TaskCancelled();
        return root_->result.take();
    }

private:
    template <class U, class S>
    friend JoinHandle<U, S> spawn(BasicExecutor<S>&, Task<U, S>);
    explicit JoinHandle(detail::RootTask<T, Sync>* r) noexcept : root_(r) {}
    detail::RootTask<T, Sync>* root_ = nullptr;
};

template <class T, class Sync>
JoinHandle<T, Sync> spawn(BasicExecutor<Sync>& ex, Task<T, Sync> task) {
    auto* root = new detail::RootTask<T, Sync>(ex, std::move(task));
    root->refs.store(2, std::memory_order_relaxed);  // the JoinHandle and the run queue
    ex.task_started(root);
    ex.schedule(root);
    return JoinHandle<T, Sync>(root);
}

}  // namespace wakerbench::rt
