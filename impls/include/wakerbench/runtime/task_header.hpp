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

#include <coroutine>
#include <cstdint>

#include "wakerbench/sync/faults.hpp"
#include "wakerbench/sync/std_sync.hpp"
#include "wakerbench/waker.hpp"

// The runtime is a template over the Sync policy (sync/std_sync.hpp), like the channels, so that
// the model checker runs this state machine, the run queue and the run loop as they are, over
// Relacy's atomics (stress/relacy). Everything else names the StdSync instances below.
namespace wakerbench::rt {

template <class Sync>
struct BasicTaskHeader;

template <class Sync>
class BasicExecutor {
public:
    // Takes over one reference on the task. Must not allocate: the run queue is intrusive.
    virtual void schedule(BasicTaskHeader<Sync>* task) noexcept = 0;
    // Bookkeeping of live tasks, so an executor can cancel what is left when it shuts down.
    virtual void task_started(BasicTaskHeader<Sync>* task) noexcept = 0;
    virtual void task_finished(BasicTaskHeader<Sync>* task) noexcept = 0;

protected:
    ~BasicExecutor() = default;
};

template <class Sync>
struct BasicTaskOps {
    // The task is over: keep its result if it finished (`completed`), then destroy its coroutine
    // frames now, so what they hold (channel handles passed as parameters, say) is released when
    // the task ends rather than when the last JoinHandle goes. A cancelled task's awaiters
    // withdraw from their wait lists as their frames are destroyed.
    void (*finish)(BasicTaskHeader<Sync>*, bool completed) noexcept;
    void (*free)(BasicTaskHeader<Sync>*) noexcept;  // last reference gone: free the control block
};

template <class Sync>
struct BasicTaskHeader {
    static constexpr std::uint32_t kScheduled = 1;  // in a run queue, or about to be
    static constexpr std::uint32_t kRunning = 2;    // an executor thread owns the frames
    static constexpr std::uint32_t kNotified = 4;   // woken while running: run again
    static constexpr std::uint32_t kCancelled = 8;
    static constexpr std::uint32_t kComplete = 16;

    // The awaiter a task is suspended on. Returns true when its operation completed (resume the
    // coroutine), false when it linked the new waker and the task stays suspended.
    using PollFn = bool (*)(void* awaiter, BasicTaskHeader* task) noexcept;

    // Where the task stopped: its innermost suspended coroutine and, if it waits on an operation,
    // that awaiter's poll hook.
    struct Suspension {
        std::coroutine_handle<> resume_point{};
        PollFn poll_fn = nullptr;
        void* poll_ctx = nullptr;
    };

    BasicTaskHeader(BasicExecutor<Sync>& ex, const BasicTaskOps<Sync>& o) noexcept : executor(&ex), ops(&o) {}

    // Records where the running task suspends. Called only by the thread that holds kRunning:
    // run_task's transitions hand `suspension` to whichever thread runs the task next.
    void suspend_at(std::coroutine_handle<> h, PollFn poll_fn = nullptr, void* poll_ctx = nullptr) noexcept {
        suspension.write() = Suspension{h, poll_fn, poll_ctx};
    }

    // Owned by the executor: intrusive links, touched only under the executor's own lock.
    BasicTaskHeader* next_queued = nullptr;
    BasicTaskHeader* prev_live = nullptr;
    BasicTaskHeader* next_live = nullptr;

    std::coroutine_handle<> root{};  // the spawned coroutine, set before the task is published; done() means it finished
    // Touched only by the thread that holds kRunning; handed between threads by the release/acquire
    // on `state` when kRunning is cleared and set again. A cell, so the checker sees that hand-over.
    typename Sync::template cell<Suspension> suspension{};

    BasicExecutor<Sync>* const executor;
    const BasicTaskOps<Sync>* const ops;
    typename Sync::futex::word state{kScheduled};  // a futex word: JoinHandle::wait sleeps on it
    typename Sync::template atomic<std::uint32_t> refs{1};
};

template <class Sync>
void retain(BasicTaskHeader<Sync>* t) noexcept {
    // relaxed: taking a reference requires already holding one, so the object is alive and no
    // ordering with other memory is needed (the shared_ptr argument).
    t->refs.fetch_add(1, std::memory_order_relaxed);
}

template <class Sync>
void release(BasicTaskHeader<Sync>* t) noexcept {
    // acq_rel: the release half orders our uses of the task before the free; the acquire half,
    // on the last decrement, makes everyone else's uses visible to the thread that frees.
    if (t->refs.fetch_sub(1, std::memory_order_acq_rel) == 1) t->ops->free(t);
}

// Wakes the task, consuming one reference.
template <class Sync>
void wake_task(BasicTaskHeader<Sync>* t) noexcept {
    using H = BasicTaskHeader<Sync>;
    // relaxed load: only a starting guess for the CAS loop, which re-reads on failure.
    std::uint32_t s = t->state.load(std::memory_order_relaxed);
    for (;;) {
        if (s & (H::kComplete | H::kScheduled)) break;  // finished, or already queued
        if (s & H::kRunning) {
            if (s & H::kNotified) break;
            if (Sync::injects(Fault::wake_while_running_dropped)) break;
            // acq_rel: release publishes what the waker did before waking (already ordered by the
            // channel mutex, but a waker may come from anywhere); acquire pairs with the runner.
            if (t->state.compare_exchange_weak(s, s | H::kNotified, std::memory_order_acq_rel, std::memory_order_relaxed)) break;
            continue;
        }
        // acq_rel: as above; this thread becomes the one that queues the task.
        if (t->state.compare_exchange_weak(s, s | H::kScheduled, std::memory_order_acq_rel, std::memory_order_relaxed)) {
            t->executor->schedule(t);  // our reference now belongs to the run queue
            return;
        }
    }
    release(t);
}

template <class Sync>
inline constexpr WakerVTable kTaskWakerVTable{
    [](void* d) noexcept { wake_task(static_cast<BasicTaskHeader<Sync>*>(d)); },
    [](void* d) noexcept { release(static_cast<BasicTaskHeader<Sync>*>(d)); },
};

template <class Sync>
Waker task_waker(BasicTaskHeader<Sync>* t) noexcept {
    retain(t);
    return Waker(t, &kTaskWakerVTable<Sync>);
}

// Asks for the task to be destroyed; the executor does it on one of its threads, because only the
// thread holding kRunning may touch the frames. Safe from any thread, any number of times.
template <class Sync>
void cancel_task(BasicTaskHeader<Sync>* t) noexcept {
    using H = BasicTaskHeader<Sync>;
    // acq_rel: same reasoning as in wake_task; the bit is sticky.
    std::uint32_t s = t->state.fetch_or(H::kCancelled, std::memory_order_acq_rel);
    if (s & (H::kComplete | H::kCancelled)) return;
    retain(t);
    wake_task(t);  // idle: queue it so an executor thread destroys it; running/queued: seen soon
}

// Runs one scheduled task on the calling executor thread; consumes the run queue's reference.
template <class Sync>
void run_task(BasicTaskHeader<Sync>* t) noexcept {
    using H = BasicTaskHeader<Sync>;
    // acquire (via acq_rel): pairs with the release that cleared kRunning on the previous run,
    // making the frames and the suspension point visible to this thread.
    std::uint32_t s = t->state.load(std::memory_order_acquire);
    while (!t->state.compare_exchange_weak(s, (s & ~(H::kScheduled | H::kNotified)) | H::kRunning, std::memory_order_acq_rel,
                                           std::memory_order_acquire)) {
    }
    for (bool step = true;; step = false) {
        if (step && !(s & H::kCancelled)) {
            const typename H::Suspension at = t->suspension.read();
            if (!at.poll_fn || at.poll_fn(at.poll_ctx, t)) {
                t->suspend_at(at.resume_point);  // no hook now: the operation finished
                at.resume_point.resume();        // returns at the next suspension or at completion
            }
        }
        // acquire: a cancel or wake may have raced with the step above.
        s = t->state.load(std::memory_order_acquire);
        const bool finished = t->root.done();
        if (finished || (s & H::kCancelled)) {
            t->ops->finish(t, finished);
            // Leave the executor's live count first, so a joiner that returns from wait() sees it
            // already decremented; the executor is alive until this call returns (it waits for
            // live tasks), and nothing below touches it.
            t->executor->task_finished(t);
            // release: publishes the result (or the destruction) to joiners that acquire kComplete.
            t->state.store(H::kComplete, std::memory_order_release);
            Sync::futex::notify_all(t->state);  // joiners hold a reference, so the header is alive here
            break;
        }
        if (s & H::kNotified) {
            // Woken while running: go to the back of the queue rather than hog this thread.
            // acq_rel: the release hands the frames to whichever thread runs it next.
            if (t->state.compare_exchange_strong(s, H::kScheduled, std::memory_order_acq_rel, std::memory_order_acquire)) {
                t->executor->schedule(t);  // the queue's reference moves on with it
                return;
            }
            continue;  // the state changed under us (a cancel): look again
        }
        if (Sync::injects(Fault::suspend_overwrites_wake)) {
            t->state.store(0, std::memory_order_release);
            break;
        }
        // acq_rel: the release hands the frames to whichever thread runs it next.
        const bool unordered = Sync::injects(Fault::frames_handed_over_relaxed);
        if (t->state.compare_exchange_strong(s, 0, unordered ? std::memory_order_relaxed : std::memory_order_acq_rel,
                                             unordered ? std::memory_order_relaxed : std::memory_order_acquire))
            break;
        // lost a race with a wake or a cancel: look again without stepping
    }
    release(t);
}

using TaskHeader = BasicTaskHeader<StdSync>;
using Executor = BasicExecutor<StdSync>;
using TaskOps = BasicTaskOps<StdSync>;
using PollFn = TaskHeader::PollFn;

}  // namespace wakerbench::rt
