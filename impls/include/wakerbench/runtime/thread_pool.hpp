#pragma once
// ThreadPool: N worker threads sharing one FIFO run queue, plus one "next task" slot per worker.
// Deliberately simple (no work stealing): every channel row runs on the same executor, so its cost
// is common to all of them.
//
// The slot (tokio's LIFO slot): a task woken by the task a worker is running goes into that
// worker's slot and runs right after it, on the same core, instead of into the shared queue. A
// message handed from one task to another (every channel wake-up from inside a task) then costs no
// condition-variable wake-up of another worker and no cache-line migration. Without it, a pool of
// tasks waking each other one at a time spent about 40% of its time in futex wake-ups and sleeps
// (perf, tasks256 at capacity 1 on a 2-CPU VM): an executor cost large enough to hide the wait
// lists' own. A task displaced from the slot by a newer one goes to the shared queue, and after
// kMaxSlotRuns slot tasks in a row the worker serves the shared queue, so two tasks that keep
// waking each other cannot starve the rest.

#include <cstddef>
#include <thread>
#include <utility>
#include <vector>

#include "wakerbench/runtime/spawn.hpp"
#include "wakerbench/runtime/task_queue.hpp"

namespace wakerbench::rt {

class ThreadPool final : public detail::TaskQueue {
public:
    explicit ThreadPool(std::size_t workers) {
        if (workers == 0) workers = 1;
        threads_.reserve(workers);
        for (std::size_t i = 0; i < workers; ++i) threads_.emplace_back([this] { work(); });
    }

    // Cancels whatever is still alive, waits for the cancellations to run, then stops the workers.
    // A task blocked inside a synchronous call never returns to the pool, so shutdown waits for it.
    ~ThreadPool() {
        cancel_all_live();
        wait_until([this] { return live_count_locked() == 0; });
        stopping_ = true;
        notify_all_waiters();
        for (auto& t : threads_) t.join();
    }

    void schedule(TaskHeader* t) noexcept override {
        Worker* w = current_worker;
        // Only the worker's own thread touches its slot, and a task that re-queues itself (woken
        // while running) goes to the back of the shared queue, as the runtime promises.
        if (w != nullptr && w->pool == this && t != w->running) {
            t = std::exchange(w->next, t);
            if (t == nullptr) return;  // the worker runs it as soon as the running task returns
        }
        TaskQueue::schedule(t);
    }

private:
    static constexpr unsigned kMaxSlotRuns = 3;  // as tokio's MAX_LIFO_POLLS_PER_TICK

    struct Worker {
        ThreadPool* pool;
        TaskHeader* running = nullptr;  // the task this worker is running now
        TaskHeader* next = nullptr;     // the slot
    };
    static inline thread_local Worker* current_worker = nullptr;

    void work() {
        Worker me{this};
        current_worker = &me;
        for (unsigned slot_runs = 0;;) {
            TaskHeader* t = std::exchange(me.next, nullptr);
            if (t != nullptr && slot_runs < kMaxSlotRuns) {
                ++slot_runs;
            } else if (t != nullptr) {
                slot_runs = 0;
                t = requeue_and_pop(t);  // its turn is over: to the back of the queue
            } else {
                slot_runs = 0;
                t = pop_wait([this] { return stopping_.load(std::memory_order_relaxed); });
                if (t == nullptr) break;
            }
            me.running = t;
            run_task(t);
            me.running = nullptr;
        }
        current_worker = nullptr;
    }

    // relaxed: read under the queue mutex in pop_wait's predicate, and written before
    // notify_all_waiters() takes that mutex, so the mutex orders it.
    std::atomic<bool> stopping_{false};
    std::vector<std::thread> threads_;
};

}  // namespace wakerbench::rt
