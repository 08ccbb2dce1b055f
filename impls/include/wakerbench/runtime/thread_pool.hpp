#pragma once
// ThreadPool: N worker threads sharing one FIFO run queue. Deliberately simple (no work stealing):
// every channel row runs on the same executor, so its cost is common to all of them.

#include <cstddef>
#include <thread>
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

private:
    void work() {
        while (TaskHeader* t = pop_wait([this] { return stopping_.load(std::memory_order_relaxed); })) run_task(t);
    }

    // relaxed: read under the queue mutex in pop_wait's predicate, and written before
    // notify_all_waiters() takes that mutex, so the mutex orders it.
    std::atomic<bool> stopping_{false};
    std::vector<std::thread> threads_;
};

}  // namespace wakerbench::rt
