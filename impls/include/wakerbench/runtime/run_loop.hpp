#pragma once
// RunLoop: a single-threaded, run-to-completion executor for deterministic tests. Tasks run only
// inside run()/run_until_idle() on the calling thread; wakers may fire from any thread.

#include <cstddef>

#include "wakerbench/runtime/spawn.hpp"
#include "wakerbench/runtime/task_queue.hpp"

namespace wakerbench::rt {

class RunLoop final : public detail::TaskQueue {
public:
    RunLoop() = default;
    ~RunLoop() {
        cancel_all_live();
        run();  // runs the cancellations (frames are destroyed on this thread); waits for a task
                // that a foreign waker has marked scheduled but not yet pushed
    }

    // Runs tasks until none is runnable; returns how many steps ran. Never blocks.
    std::size_t run_until_idle() {
        std::size_t steps = 0;
        while (TaskHeader* t = try_pop()) {
            run_task(t);
            ++steps;
        }
        return steps;
    }

    // Runs until every spawned task has finished, blocking while they wait on other threads.
    void run() {
        while (TaskHeader* t = pop_wait([this] { return live_count_locked() == 0; })) run_task(t);
    }
};

}  // namespace wakerbench::rt
