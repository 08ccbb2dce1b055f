#pragma once
// ThreadPool: N worker threads sharing one FIFO run queue, plus one "next task" slot per worker.
// Deliberately simple (no work stealing but for the slots, below): every channel row runs on the
// same executor, so its cost is common to all of them.
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
//
// A slot is only served by its worker, which may be stuck: a task is allowed to block its thread
// in a synchronous call, and may do so right after waking the task now in its slot (even waiting
// for it). So an idle worker does not sleep for ever: every kStealAfter it takes whatever waits in
// another worker's slot.

#include <atomic>
#include <chrono>
#include <cstddef>
#include <memory>
#include <thread>
#include <utility>
#include <vector>

#include "wakerbench/runtime/spawn.hpp"
#include "wakerbench/runtime/task_queue.hpp"

namespace wakerbench::rt {

class ThreadPool final : public detail::TaskQueue<StdSync> {
    using Queue = detail::TaskQueue<StdSync>;

public:
    explicit ThreadPool(std::size_t workers) : workers_(std::make_unique<Worker[]>(workers == 0 ? 1 : workers)), count_(workers == 0 ? 1 : workers) {
        threads_.reserve(count_);
        for (std::size_t i = 0; i < count_; ++i) {
            workers_[i].pool = this;
            threads_.emplace_back([this, i] { work(workers_[i]); });
        }
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
        // Only from the worker's own thread (others may only empty a slot), and a task that
        // re-queues itself (woken while running) goes to the back of the shared queue, as the
        // runtime promises.
        if (w != nullptr && w->pool == this && t != w->running) {
            // acq_rel: hands the header to a thief that empties the slot; run_task's acquire on
            // the task's state then orders its frames.
            t = w->next.exchange(t, std::memory_order_acq_rel);
            if (t == nullptr) return;  // runs as soon as the running task returns (or is stolen)
        }
        Queue::schedule(t);
    }

private:
    static constexpr unsigned kMaxSlotRuns = 3;  // as tokio's MAX_LIFO_POLLS_PER_TICK
    static constexpr std::chrono::milliseconds kStealAfter{1};

    struct alignas(64) Worker {  // a cache line each: the slot is written at every wake-up
        ThreadPool* pool = nullptr;
        TaskHeader* running = nullptr;  // the task this worker runs now; its own thread's only
        std::atomic<TaskHeader*> next{nullptr};  // the slot
    };
    static inline thread_local Worker* current_worker = nullptr;

    void work(Worker& me) {
        current_worker = &me;
        for (unsigned slot_runs = 0;;) {
            TaskHeader* t = me.next.exchange(nullptr, std::memory_order_acq_rel);  // acq_rel: see schedule()
            if (t != nullptr && slot_runs < kMaxSlotRuns) {
                ++slot_runs;
            } else if (t != nullptr) {
                slot_runs = 0;
                t = requeue_and_pop(t);  // its turn is over: to the back of the queue
            } else {
                slot_runs = 0;
                t = pop_wait_for([this] { return stopping_.load(std::memory_order_relaxed); }, kStealAfter);
                if (t == nullptr && stopping_.load(std::memory_order_relaxed)) break;
                if (t == nullptr) t = steal_slot(me);
                if (t == nullptr) continue;
            }
            me.running = t;
            run_task(t);
            me.running = nullptr;
        }
        current_worker = nullptr;
    }

    // What waits in another worker's slot, if anything.
    TaskHeader* steal_slot(const Worker& me) noexcept {
        for (std::size_t i = 0; i < count_; ++i) {
            if (&workers_[i] == &me) continue;
            // relaxed load: a cheap look first; acq_rel exchange: see schedule().
            if (workers_[i].next.load(std::memory_order_relaxed) == nullptr) continue;
            if (TaskHeader* t = workers_[i].next.exchange(nullptr, std::memory_order_acq_rel)) return t;
        }
        return nullptr;
    }

    // relaxed: read under the queue mutex in pop_wait_for's predicate, and written before
    // notify_all_waiters() takes that mutex, so the mutex orders it.
    std::atomic<bool> stopping_{false};
    const std::unique_ptr<Worker[]> workers_;
    const std::size_t count_;
    std::vector<std::thread> threads_;
};

}  // namespace wakerbench::rt
