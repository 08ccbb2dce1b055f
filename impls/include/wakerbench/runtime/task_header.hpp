#pragma once
// The control block of a spawned task, the coroutine Waker that targets it, and the one routine
// every executor uses to run it.
//
// Model (Rust's, adapted to C++ coroutines): a Waker targets the task, not the coroutine frame,
// and holds a reference on the task's control block. So a waker taken by a notifier just before
// the task was cancelled stays safe to invoke: it finds the task complete and does nothing.
// A woken task is not resumed blindly: the awaiter it is suspended on left a poll hook, and the
// executor calls it first. The hook re-runs the channel operation under the channel lock and
// either completes it (then the coroutine resumes) or links a fresh waker and stays suspended.
// That is what lets wake-all lists wake spuriously without breaking `co_await` semantics.
//
// State word (one atomic), transitions:
//   idle --wake--> scheduled --executor pops--> running --suspends--> idle
//   running --wake--> running|notified --suspends--> scheduled (re-queued, so others get a turn)
//   any --cancel--> |cancelled; the executor destroys the frames instead of polling
//   running --root coroutine finished or destroyed--> complete (final; wakes are no-ops)

#include <atomic>
#include <coroutine>
#include <cstdint>

#include "wakerbench/waker.hpp"

namespace wakerbench::rt {

struct TaskHeader;

class Executor {
public:
    // Takes over one reference on the task. Must not allocate: the run queue is intrusive.
    virtual void schedule(TaskHeader* task) noexcept = 0;
    // Bookkeeping of live tasks, so an executor can cancel what is left when it shuts down.
    virtual void task_started(TaskHeader* task) noexcept = 0;
    virtual void task_finished(TaskHeader* task) noexcept = 0;

protected:
    ~Executor() = default;
};

struct TaskOps {
    // The task is over: keep its result if it finished (`completed`), then destroy its coroutine
    // frames now, so what they hold (channel handles passed as parameters, say) is released when
    // the task ends rather than when the last JoinHandle goes. A cancelled task's awaiters
    // withdraw from their wait lists as their frames are destroyed.
    void (*finish)(TaskHeader*, bool completed) noexcept;
    void (*free)(TaskHeader*) noexcept;  // last reference gone: free the control block
};

// The awaiter a task is suspended on. Returns true when its operation completed (resume the
// coroutine), false when it linked the new waker and the task stays suspended.
using PollFn = bool (*)(void* awaiter, TaskHeader* task) noexcept;

struct TaskHeader {
    static constexpr std::uint32_t kScheduled = 1;  // in a run queue, or about to be
    static constexpr std::uint32_t kRunning = 2;    // an executor thread owns the frames
    static constexpr std::uint32_t kNotified = 4;   // woken while running: run again
    static constexpr std::uint32_t kCancelled = 8;
    static constexpr std::uint32_t kComplete = 16;

    TaskHeader(Executor& ex, const TaskOps& o) noexcept : executor(&ex), ops(&o) {}

    // Owned by the executor: intrusive links, touched only under the executor's own lock.
    TaskHeader* next_queued = nullptr;
    TaskHeader* prev_live = nullptr;
    TaskHeader* next_live = nullptr;

    // Touched only by the thread that holds kRunning; handed between threads by the release/acquire
    // on `state` when kRunning is cleared and set again.
    std::coroutine_handle<> root{};          // the spawned coroutine; done() means the task finished
    std::coroutine_handle<> resume_point{};  // innermost suspended coroutine
    PollFn poll_fn = nullptr;
    void* poll_ctx = nullptr;

    Executor* const executor;
    const TaskOps* const ops;
    std::atomic<std::uint32_t> state{kScheduled};
    std::atomic<std::uint32_t> refs{1};
};

inline void retain(TaskHeader* t) noexcept {
    // relaxed: taking a reference requires already holding one, so the object is alive and no
    // ordering with other memory is needed (the shared_ptr argument).
    t->refs.fetch_add(1, std::memory_order_relaxed);
}

inline void release(TaskHeader* t) noexcept {
    // acq_rel: the release half orders our uses of the task before the free; the acquire half,
    // on the last decrement, makes everyone else's uses visible to the thread that frees.
    if (t->refs.fetch_sub(1, std::memory_order_acq_rel) == 1) t->ops->free(t);
}

// Wakes the task, consuming one reference.
inline void wake_task(TaskHeader* t) noexcept {
    // relaxed load: only a starting guess for the CAS loop, which re-reads on failure.
    std::uint32_t s = t->state.load(std::memory_order_relaxed);
    for (;;) {
        if (s & (TaskHeader::kComplete | TaskHeader::kScheduled)) break;  // finished, or already queued
        if (s & TaskHeader::kRunning) {
            if (s & TaskHeader::kNotified) break;
            // acq_rel: release publishes what the waker did before waking (already ordered by the
            // channel mutex, but a waker may come from anywhere); acquire pairs with the runner.
            if (t->state.compare_exchange_weak(s, s | TaskHeader::kNotified, std::memory_order_acq_rel, std::memory_order_relaxed)) break;
            continue;
        }
        // acq_rel: as above; this thread becomes the one that queues the task.
        if (t->state.compare_exchange_weak(s, s | TaskHeader::kScheduled, std::memory_order_acq_rel, std::memory_order_relaxed)) {
            t->executor->schedule(t);  // our reference now belongs to the run queue
            return;
        }
    }
    release(t);
}

inline constexpr WakerVTable kTaskWakerVTable{
    [](void* d) noexcept { wake_task(static_cast<TaskHeader*>(d)); },
    [](void* d) noexcept { release(static_cast<TaskHeader*>(d)); },
};

inline Waker task_waker(TaskHeader* t) noexcept {
    retain(t);
    return Waker(t, &kTaskWakerVTable);
}

// Asks for the task to be destroyed; the executor does it on one of its threads, because only the
// thread holding kRunning may touch the frames. Safe from any thread, any number of times.
inline void cancel_task(TaskHeader* t) noexcept {
    // acq_rel: same reasoning as in wake_task; the bit is sticky.
    std::uint32_t s = t->state.fetch_or(TaskHeader::kCancelled, std::memory_order_acq_rel);
    if (s & (TaskHeader::kComplete | TaskHeader::kCancelled)) return;
    retain(t);
    wake_task(t);  // idle: queue it so an executor thread destroys it; running/queued: seen soon
}

// Runs one scheduled task on the calling executor thread; consumes the run queue's reference.
inline void run_task(TaskHeader* t) noexcept {
    // acquire (via acq_rel): pairs with the release that cleared kRunning on the previous run,
    // making the frames and the plain fields above visible to this thread.
    std::uint32_t s = t->state.load(std::memory_order_acquire);
    while (!t->state.compare_exchange_weak(s, (s & ~(TaskHeader::kScheduled | TaskHeader::kNotified)) | TaskHeader::kRunning,
                                           std::memory_order_acq_rel, std::memory_order_acquire)) {
    }
    for (bool step = true;; step = false) {
        if (step && !(s & TaskHeader::kCancelled)) {
            if (!t->poll_fn || t->poll_fn(t->poll_ctx, t)) {
                t->poll_fn = nullptr;
                t->resume_point.resume();  // returns at the next suspension or at completion
            }
        }
        // acquire: a cancel or wake may have raced with the step above.
        s = t->state.load(std::memory_order_acquire);
        const bool finished = t->root.done();
        if (finished || (s & TaskHeader::kCancelled)) {
            t->ops->finish(t, finished);
            // Leave the executor's live count first, so a joiner that returns from wait() sees it
            // already decremented; the executor is alive until this call returns (it waits for
            // live tasks), and nothing below touches it.
            t->executor->task_finished(t);
            // release: publishes the result (or the destruction) to joiners that acquire kComplete.
            t->state.store(TaskHeader::kComplete, std::memory_order_release);
            t->state.notify_all();  // joiners hold a reference, so the header is alive here
            break;
        }
        if (s & TaskHeader::kNotified) {
            // Woken while running: go to the back of the queue rather than hog this thread.
            // acq_rel: the release hands the frames to whichever thread runs it next.
            if (t->state.compare_exchange_strong(s, TaskHeader::kScheduled, std::memory_order_acq_rel, std::memory_order_acquire)) {
                t->executor->schedule(t);  // the queue's reference moves on with it
                return;
            }
            continue;  // the state changed under us (a cancel): look again
        }
        // acq_rel: the release hands the frames to whichever thread runs it next.
        if (t->state.compare_exchange_strong(s, 0, std::memory_order_acq_rel, std::memory_order_acquire)) break;
        // lost a race with a wake or a cancel: look again without stepping
    }
    release(t);
}

}  // namespace wakerbench::rt
