#pragma once
// The task runtime under the model checker: the library's task state machine (task_header.hpp),
// run queue (task_queue.hpp), run loop, spawn and JoinHandle, all over RelacySync, driving real
// coroutines that await a real channel (the intrusive row; the wait lists have their own
// scenarios). What they reach: a wake that arrives while its task is running (kNotified), a task
// run by one executor thread and next by another (the hand-over of its frames through `state`),
// a cancel racing a wake, and a join that sleeps on the task's state word.
//
// ThreadPool's own code (its per-worker slots, the steal) is not modelled: it creates its threads
// and keeps a thread_local, neither of which Relacy's fixed set of simulated threads can stand in
// for. Two threads running one RunLoop share its queue as a pool without slots would.

#include "scenarios.hpp"

namespace wakerbench::modelcheck {

using RuntimeChan = rows::intrusive::channel<int, RelacySync>;
using Loop = rt::BasicRunLoop<RelacySync>;
template <class T = void>
using ModelTask = rt::Task<T, RelacySync>;

// Receives 0, 1, ... `items - 1` in order, then sees the close.
inline ModelTask<> receive_in_order(AsyncReceiver<RuntimeChan> rx, int items) {
    for (int k = 0; k < items; ++k) {
        const std::optional<int> v = co_await rx.recv();
        RL_ASSERT(v && *v == k);
    }
    const std::optional<int> end = co_await rx.recv();  // bound to a declaration: see below
    RL_ASSERT(!end);
}

// Receives until the close, counting what it got. (Not `while (co_await rx.recv())`: GCC 12.2
// miscompiles a co_await written straight in the condition of a statement at the top level of a
// coroutine body, as impls/tests/runtime_test.cpp found for `if`; here the frame's destroy did
// nothing and a resume read a clobbered resume index. Bound to a declaration, it is correct.)
inline ModelTask<> count_until_closed(AsyncReceiver<RuntimeChan> rx, int* received) {
    for (;;) {
        const std::optional<int> v = co_await rx.recv();
        if (!v) co_return;
        ++*received;
    }
}

// A task receives three items from a sync sender, capacity 1, on `Executors` threads that all run
// one loop. Every send may wake the task while it runs (between its poll and its suspension), and
// with two executors the task may move to the other thread at every wake. Lost wake-ups end in a
// deadlock (the loop waits for a task nobody will schedule), an unordered hand-over in a data race
// on the task's suspension point.
template <class Chan, rl::thread_id_t Executors>
struct TaskWokenWhileRunning : ChannelScenario<TaskWokenWhileRunning<Chan, Executors>, Chan, Executors + 1> {
    static constexpr int kItems = 3;
    Loop loop;  // after the channel: destroyed first, with every task finished
    TaskWokenWhileRunning() : ChannelScenario<TaskWokenWhileRunning, Chan, Executors + 1>(1) {
        (void)rt::spawn(loop, receive_in_order(take(this->rx).async(), kItems));  // detached
    }

    void thread(unsigned index) {
        if (index < Executors) {
            loop.run();
        } else {
            auto s = take(this->tx);
            for (int k = 0; k < kItems; ++k) RL_ASSERT(s.send(int{k}).sent());
        }
    }
};
template <class Chan>
using TaskWakeOneExecutor = TaskWokenWhileRunning<Chan, 1>;
template <class Chan>
using TaskWakeTwoExecutors = TaskWokenWhileRunning<Chan, 2>;

// A receiving task and a sync receiver share one item, and the sync receiver's thread first
// cancels the task and joins it (JoinHandle::wait, asleep on the task's state word) while the
// item's wake may be on its way to the task: cancelled before it ran, while queued, while running,
// or after it received. The item is received exactly once (by the task only if it got there
// before the cancel took effect), and the loop finishes.
template <class Chan>
struct TaskCancelledWhileWoken : ChannelScenario<TaskCancelledWhileWoken<Chan>, Chan, 3> {
    int task_received = 0;  // written by the task only; read after the join
    Loop loop;
    std::optional<rt::JoinHandle<void, RelacySync>> task;

    TaskCancelledWhileWoken() : ChannelScenario<TaskCancelledWhileWoken, Chan, 3>(1) {
        task.emplace(rt::spawn(loop, count_until_closed(this->rx->async(), &task_received)));
    }

    void thread(unsigned index) {
        if (index == 0) {
            loop.run();
        } else if (index == 1) {
            auto s = take(this->tx);
            RL_ASSERT(s.send(7).sent());
        } else {
            auto r = take(this->rx);
            const auto joined = take(task);  // dropped with this thread: the task is freed in the run
            joined.cancel();
            joined.wait();
            int received = 0;
            while (r.recv()) ++received;
            RL_ASSERT(received + task_received == 1);
            RL_ASSERT(joined.cancelled() || task_received == 1);
        }
    }
};

}  // namespace wakerbench::modelcheck
