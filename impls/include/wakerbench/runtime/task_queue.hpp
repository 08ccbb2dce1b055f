#pragma once
// The state both executors share: an intrusive FIFO of runnable tasks and an intrusive list of
// live tasks, under one mutex. Scheduling links the task's own header, so waking a coroutine
// never allocates and the allocation figures measure the channel, not the executor. A template
// over the Sync policy (its mutex and condition_variable), so the model checker runs it too.

#include <chrono>
#include <cstddef>
#include <mutex>
#include <vector>

#include "wakerbench/runtime/task_header.hpp"

namespace wakerbench::rt::detail {

template <class Sync>
class TaskQueue : public BasicExecutor<Sync> {
public:
    using TaskHeader = BasicTaskHeader<Sync>;

    TaskQueue() = default;
    TaskQueue(const TaskQueue&) = delete;
    TaskQueue& operator=(const TaskQueue&) = delete;

    void schedule(TaskHeader* t) noexcept override {
        std::lock_guard lock(mutex_);
        push_locked(t);
        // Notify while still holding the lock: once it is released, the executor may run this task
        // to completion without waiting on the condition variable and be destroyed, and a
        // notify after the unlock would then signal freed memory (a foreign waker's thread).
        changed_.notify_one();
    }

    void task_started(TaskHeader* t) noexcept override {
        std::lock_guard lock(mutex_);
        t->prev_live = nullptr;
        t->next_live = live_;
        if (live_) live_->prev_live = t;
        live_ = t;
        ++live_count_;
    }

    void task_finished(TaskHeader* t) noexcept override {
        std::lock_guard lock(mutex_);
        (t->prev_live ? t->prev_live->next_live : live_) = t->next_live;
        if (t->next_live) t->next_live->prev_live = t->prev_live;
        --live_count_;
        changed_.notify_all();  // run() and shutdown wait for the count to reach zero; under the lock as above
    }

    [[nodiscard]] std::size_t live_tasks() const {
        std::lock_guard lock(mutex_);
        return live_count_;
    }

protected:
    ~TaskQueue() = default;

    TaskHeader* try_pop() {
        std::lock_guard lock(mutex_);
        return pop_locked();
    }

    // Blocks until a task is runnable, or returns nullptr once `done()` holds (checked under the lock).
    template <class Done>
    TaskHeader* pop_wait(Done done) {
        std::unique_lock lock(mutex_);
        changed_.wait(lock, [&] { return head_ != nullptr || done(); });
        return pop_locked();
    }

    // As pop_wait, but gives up after `timeout`: nullptr then, as when `done()` holds.
    template <class Done, class Rep, class Period>
    TaskHeader* pop_wait_for(Done done, std::chrono::duration<Rep, Period> timeout) {
        std::unique_lock lock(mutex_);
        changed_.wait_for(lock, timeout, [&] { return head_ != nullptr || done(); });
        return pop_locked();
    }

    // A worker whose task `t` has had its turn: `t` goes to the back of the queue and the worker
    // takes the front, which is `t` again if nothing else is waiting (then nobody is woken: this
    // worker is running it). Otherwise `t` is left waiting, and another worker is woken for it.
    TaskHeader* requeue_and_pop(TaskHeader* t) noexcept {
        std::lock_guard lock(mutex_);
        if (head_ == nullptr) return t;
        TaskHeader* front = pop_locked();
        push_locked(t);
        changed_.notify_one();  // under the lock: see schedule()
        return front;
    }

    template <class Pred>
    void wait_until(Pred pred) {
        std::unique_lock lock(mutex_);
        changed_.wait(lock, pred);
    }

    void notify_all_waiters() {
        std::lock_guard lock(mutex_);  // orders the caller's flag change before the wake-up
        changed_.notify_all();
    }

    // Shutdown: every task still alive is cancelled, so its frames are destroyed and its channel
    // operations withdrawn. Allocates (a snapshot of the live list), which only shutdown may do.
    void cancel_all_live() {
        std::vector<TaskHeader*> snapshot;
        {
            std::lock_guard lock(mutex_);
            for (TaskHeader* t = live_; t; t = t->next_live) {
                retain(t);
                snapshot.push_back(t);
            }
        }
        for (TaskHeader* t : snapshot) {
            cancel_task(t);  // schedules it, which takes mutex_: hence outside the lock
            release(t);
        }
    }

    std::size_t live_count_locked() const noexcept { return live_count_; }

private:
    void push_locked(TaskHeader* t) noexcept {
        t->next_queued = nullptr;
        (tail_ ? tail_->next_queued : head_) = t;
        tail_ = t;
    }
    TaskHeader* pop_locked() noexcept {
        TaskHeader* t = head_;
        if (t) {
            head_ = t->next_queued;
            if (!head_) tail_ = nullptr;
        }
        return t;
    }

    mutable typename Sync::mutex mutex_;
    typename Sync::condition_variable changed_;
    TaskHeader* head_ = nullptr;
    TaskHeader* tail_ = nullptr;
    TaskHeader* live_ = nullptr;
    std::size_t live_count_ = 0;
};

}  // namespace wakerbench::rt::detail
