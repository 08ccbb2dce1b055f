#pragma once
// RunLoop: a run-to-completion executor for deterministic tests. Tasks run only inside
// run()/run_until_idle() on the calling thread; wakers may fire from any thread. Several threads
// may call run() at once: they share the run queue like a pool without per-worker slots, which is
// how the model checker puts one task on two executor threads in turn (stress/relacy).

#include <cstddef>

#include "wakerbench/runtime/spawn.hpp"
#include "wakerbench/runtime/task_queue.hpp"

namespace wakerbench::rt {

template <class Sync>
class BasicRunLoop final : public detail::TaskQueue<Sync> {
    using Queue = detail::TaskQueue<Sync>;
    using typename Queue::TaskHeader;

public:
    BasicRunLoop() = default;
    ~BasicRunLoop() {
        Queue::cancel_all_live();
        run();  // runs the cancellations (frames are destroyed on this thread); waits for a task
                // that a foreign waker has marked scheduled but not yet pushed
    }

    // Runs tasks until none is runnable; returns how many steps ran. Never blocks.
    std::size_t run_until_idle() {
        std::size_t steps = 0;
        while (TaskHeader* t = Queue::try_pop()) {
            run_task(t);
            ++steps;
        }
        return steps;
    }

    // Runs until every spawned task has finished, blocking while they wait on other threads.
    void run() {
        while (TaskHeader* t = Queue::pop_wait([this] { return Queue::live_count_locked() == 0; })) run_task(t);
    }
};

using RunLoop = BasicRunLoop<StdSync>;

}  // namespace wakerbench::rt
