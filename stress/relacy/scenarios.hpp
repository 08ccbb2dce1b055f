#pragma once
// The model-checked scenarios. Each is a Relacy test suite over one channel type `Chan` built with
// RelacySync: Relacy runs thread(i) on each simulated thread, under every interleaving its
// scheduler explores, and fails the check on an assertion below, a data race, a deadlock (a party
// blocked forever: a lost wake-up), a livelock, a leak or a use of freed memory.
//
// Adding one: a struct template like those below (a ScopedLot first, the channel's handles in the
// constructor, one thread(i) per party, assertions in the threads or in after()), then one line
// per row in checks.cpp. Keep models small: 2 to 4 threads and a handful of items; the checker
// explores interleavings, so every extra step multiplies its work.

#include "relacy_sync.hpp"

namespace wakerbench::modelcheck {

// Installs the scenario's parking lot (the parkers' futex model) and its process-wide objects for
// one simulated execution. First member of every scenario, so it is built before and destroyed
// after everything that parks or keeps waiters outside the channel.
struct ScopedLot {
    ParkingLot lot;
    ProcessWide process_wide;
    ScopedLot() {
        current_lot = &lot;
        current_process_wide = &process_wide;
    }
    ~ScopedLot() {
        current_process_wide = nullptr;
        current_lot = nullptr;
    }
    ScopedLot(const ScopedLot&) = delete;
    ScopedLot& operator=(const ScopedLot&) = delete;
};

// make_channel wants a row; this one names a channel type that is already complete.
template <class Chan>
struct Model {
    template <class>
    using channel = Chan;
};

template <class Chan>
using Tx = Sender<Chan>;
template <class Chan>
using Rx = Receiver<Chan>;

// Moves a handle out of the scenario into the thread that uses it; the thread's end drops it.
template <class Handle>
Handle take(std::optional<Handle>& slot) {
    Handle h = std::move(*slot);
    slot.reset();
    return h;
}

// Stands in for a suspended coroutine's task: a waker target that outlives the awaiter (a real
// task header is reference-counted), so a wake that arrives after a cancellation is harmless.
struct TaskStandIn {
    rl::atomic<int> wakes{0};
    Waker waker() noexcept { return Waker(this, &kVTable); }

private:
    static void wake(void* self) noexcept { static_cast<TaskStandIn*>(self)->wakes.fetch_add(1, rl::mo_relaxed, $); }
    static void drop(void*) noexcept {}
    static constexpr WakerVTable kVTable{&wake, &drop};
};

// Two receivers' logs of the items 1 and 2 (bits of a mask): each arrived exactly once.
inline void assert_items_1_and_2_received_once(const std::array<std::vector<int>, 2>& seen) {
    int mask = 0;
    for (const auto& s : seen)
        for (int v : s) {
            RL_ASSERT((mask & v) == 0);  // received twice
            mask |= v;
        }
    RL_ASSERT(mask == 3);  // one was lost
}

// Base of the channel scenarios: opens a channel of `capacity` for `Threads` simulated threads.
template <class Derived, class Chan, rl::thread_id_t Threads>
struct ChannelScenario : rl::test_suite<Derived, Threads> {
    ScopedLot lot;
    std::optional<Tx<Chan>> tx;
    std::optional<Rx<Chan>> rx;

    explicit ChannelScenario(Capacity capacity) {
        auto [t, r] = make_channel<Model<Chan>, int>(capacity);
        tx.emplace(std::move(t));
        rx.emplace(std::move(r));
    }
};

// One sender, one receiver, capacity 1, three items: both sides block in turn. Every item arrives,
// in order, and then the receiver sees the close.
template <class Chan>
struct SpscFifo : ChannelScenario<SpscFifo<Chan>, Chan, 2> {
    static constexpr int kItems = 3;
    SpscFifo() : ChannelScenario<SpscFifo, Chan, 2>(1) {}

    void thread(unsigned index) {
        if (index == 0) {
            auto s = take(this->tx);
            for (int k = 0; k < kItems; ++k) RL_ASSERT(s.send(int{k}).sent());
        } else {
            auto r = take(this->rx);
            for (int k = 0; k < kItems; ++k) {
                const std::optional<int> v = r.recv();
                RL_ASSERT(v && *v == k);
            }
            RL_ASSERT(!r.recv());
        }
    }
};

// Two producers, two consumers, capacity 1, two items each: every item is received exactly once,
// each consumer sees each producer's items in the order sent, and both consumers see the close.
template <class Chan>
struct MpmcExactlyOnce : ChannelScenario<MpmcExactlyOnce<Chan>, Chan, 4> {
    static constexpr int kPerProducer = 2;
    std::optional<Tx<Chan>> tx2;
    std::optional<Rx<Chan>> rx2;
    std::array<std::vector<int>, 2> seen;  // per consumer; each written by its own thread only

    MpmcExactlyOnce() : ChannelScenario<MpmcExactlyOnce, Chan, 4>(1), tx2(*this->tx), rx2(*this->rx) {
        for (auto& s : seen) s.reserve(2 * kPerProducer);
    }

    void thread(unsigned index) {
        if (index < 2) {
            auto s = take(index == 0 ? this->tx : tx2);
            for (int k = 0; k < kPerProducer; ++k) RL_ASSERT(s.send(int(10 * index + k)).sent());
        } else {
            auto r = take(index == 2 ? this->rx : rx2);
            while (std::optional<int> v = r.recv()) seen[index - 2].push_back(*v);
        }
    }

    void after() {
        std::array<int, 2 * kPerProducer> count{};
        for (const auto& s : seen) {
            int last[2] = {-1, -1};
            for (int v : s) {
                const int producer = v / 10, k = v % 10;
                RL_ASSERT(producer < 2 && k < kPerProducer);
                RL_ASSERT(k > last[producer]);  // per-producer order
                last[producer] = k;
                ++count[producer * kPerProducer + k];
            }
        }
        for (int c : count) RL_ASSERT(c == 1);  // exactly once
    }
};

// One sender sends an item and leaves while two receivers wait: the close wakes both, the item is
// delivered exactly once, and both see the end.
template <class Chan>
struct CloseWakesReceivers : ChannelScenario<CloseWakesReceivers<Chan>, Chan, 3> {
    std::optional<Rx<Chan>> rx2;
    int received[2] = {0, 0};

    CloseWakesReceivers() : ChannelScenario<CloseWakesReceivers, Chan, 3>(1), rx2(*this->rx) {}

    void thread(unsigned index) {
        if (index == 0) {
            auto s = take(this->tx);
            RL_ASSERT(s.send(7).sent());
        } else {
            auto r = take(index == 1 ? this->rx : rx2);
            while (std::optional<int> v = r.recv()) {
                RL_ASSERT(*v == 7);
                ++received[index - 1];
            }
        }
    }

    void after() { RL_ASSERT(received[0] + received[1] == 1); }
};

// Two senders fill a channel of capacity 1 while the only receiver takes one item and leaves:
// every blocked sender is woken and gets its value back as closed. One sender waits with a
// deadline, which the checker may let expire at any point (the value then comes back as full).
template <class Chan>
struct LastReceiverWakesSenders : ChannelScenario<LastReceiverWakesSenders<Chan>, Chan, 3> {
    std::optional<Tx<Chan>> tx2;
    int sent[2] = {0, 0};
    int received = 0;

    LastReceiverWakesSenders() : ChannelScenario<LastReceiverWakesSenders, Chan, 3>(1), tx2(*this->tx) {}

    void thread(unsigned index) {
        if (index < 2) {
            auto s = take(index == 0 ? this->tx : tx2);
            for (int k = 0; k < 2; ++k) {
                const int v = int(10 * index + k);
                auto r = index == 0 ? s.send(int{v}) : s.send_until(int{v}, std::chrono::steady_clock::now());
                if (r.sent()) {
                    ++sent[index];
                    continue;
                }
                RL_ASSERT(r.closed() || (index == 1 && r.full()));  // only the timed send may time out
                RL_ASSERT(r.value() == v);                          // handed back, untouched
                if (r.closed()) break;
            }
        } else {
            auto r = take(this->rx);
            RL_ASSERT(r.recv().has_value());
            ++received;
        }
    }

    void after() {
        RL_ASSERT(received == 1);
        RL_ASSERT(sent[0] + sent[1] <= 2);  // the item received plus at most one queued (capacity 1)
    }
};

// A receiver suspended like a coroutine (its awaiter's Waiter polled, its waker a task's) is
// destroyed while a send may already have handed it the wake-up: that wake-up must reach the other
// receiver, which otherwise blocks forever. A spare sender keeps the channel open meanwhile, so no
// close can paper over a lost wake-up. With Rounds = 2 the cancelled receiver links again while
// the other waits: in a slab its key is reused while its old ticket is still queued; in a linked
// list its node leaves the middle and rejoins at the back. The item must then wake the oldest
// waiter (the wait-list audit checks the order: a waiter woken out of turn loses nothing here, so
// only the audit can see it).
template <class Chan, int Rounds>
struct CancelledReceiverPassesOn : ChannelScenario<CancelledReceiverPassesOn<Chan, Rounds>, Chan, 3> {
    std::optional<Tx<Chan>> keep_open;  // dropped with the scenario, after every thread has finished
    std::optional<Tx<Chan>> tx_back;
    std::optional<Rx<Chan>> rx2;
    TaskStandIn task;

    CancelledReceiverPassesOn()
        : ChannelScenario<CancelledReceiverPassesOn, Chan, 3>(1), keep_open(*this->tx), tx_back(*this->tx), rx2(*this->rx) {}

    void thread(unsigned index) {
        if (index == 0) {
            auto s = take(this->tx);
            RL_ASSERT(s.send(7).sent());
        } else if (index == 1) {  // the cancelled one: polls, is destroyed, Rounds times
            auto r = take(this->rx);
            auto back = take(tx_back);
            std::optional<int> got;
            for (int round = 0; round < Rounds && !got; ++round) {
                typename Chan::template Waiter<typename Chan::RecvOp> awaiter(r.channel());
                if (awaiter.poll([&] { return task.waker(); })) got = std::move(awaiter).result();
            }  // destroyed while possibly linked and possibly notified: the cancellation
            if (got) RL_ASSERT(back.try_send(int{*got}).sent());  // it won the item: hand it on
        } else {
            auto r = take(rx2);
            const std::optional<int> v = r.recv();
            RL_ASSERT(v && *v == 7);
        }
    }
};
template <class Chan>
using CancelAfterNotifyPassesOn = CancelledReceiverPassesOn<Chan, 1>;
template <class Chan>
using RelinkAfterCancel = CancelledReceiverPassesOn<Chan, 2>;

// Two items arrive in one critical section for two waiting receivers: RelacySync hands over one
// waker per round, so the wake goes round again, and one receiver (a polled awaiter) may be
// cancelled between the rounds, after it was woken. Then the sender leaves and the close wakes the
// rest. Each item is received exactly once, and everyone sees the end.
template <class Chan>
struct WakeRoundsWithCancel : ChannelScenario<WakeRoundsWithCancel<Chan>, Chan, 3> {
    std::array<std::vector<int>, 2> seen;
    std::optional<Rx<Chan>> rx2;
    TaskStandIn task;

    WakeRoundsWithCancel() : ChannelScenario<WakeRoundsWithCancel, Chan, 3>(2), rx2(*this->rx) {
        for (auto& s : seen) s.reserve(2);
    }

    void thread(unsigned index) {
        if (index == 0) {
            auto s = take(this->tx);
            std::array<int, 2> items{1, 2};
            RL_ASSERT(s.send_batch(std::span<int>(items)) == items.size());
        } else {
            auto r = take(index == 1 ? this->rx : rx2);
            if (index == 2) {  // polled once, then dropped: linked, or woken and not yet run
                typename Chan::template Waiter<typename Chan::RecvOp> awaiter(r.channel());
                if (awaiter.poll([&] { return task.waker(); }))
                    if (std::optional<int> v = std::move(awaiter).result()) seen[1].push_back(*v);
            }
            while (std::optional<int> v = r.recv()) seen[index - 1].push_back(*v);
        }
    }

    void after() { assert_items_1_and_2_received_once(seen); }
};

// A batch send larger than the capacity against batch receives: the send moves items in as room
// appears and the receiver wakes for partial batches; all arrive in order, then the close.
template <class Chan>
struct BatchPartial : ChannelScenario<BatchPartial<Chan>, Chan, 2> {
    BatchPartial() : ChannelScenario<BatchPartial, Chan, 2>(2) {}

    void thread(unsigned index) {
        if (index == 0) {
            auto s = take(this->tx);
            std::array<int, 3> items{0, 1, 2};
            RL_ASSERT(s.send_batch(std::span<int>(items)) == items.size());
        } else {
            auto r = take(this->rx);
            std::vector<int> out;
            out.reserve(4);
            while (out.size() < 3) RL_ASSERT(r.recv_batch(out, 2) > 0);
            for (int k = 0; k < 3; ++k) RL_ASSERT(out[k] == k);
            RL_ASSERT(r.recv_batch(out, 2) == 0);
        }
    }
};

// Channel rows: a sender sends two items and leaves while two receivers race for them. Each notify
// races waiters that re-link after finding nothing (every wake of a wake-all list but the winner
// does), and the close's wake-all goes round once per waiter (RelacySync wakes one per round).
// Nothing is lost or received twice, and nobody is left asleep.
template <class Chan>
struct NotifyAllVsRelink : ChannelScenario<NotifyAllVsRelink<Chan>, Chan, 3> {
    std::optional<Rx<Chan>> rx2;
    std::array<std::vector<int>, 2> seen;

    NotifyAllVsRelink() : ChannelScenario<NotifyAllVsRelink, Chan, 3>(1), rx2(*this->rx) {
        for (auto& s : seen) s.reserve(2);
    }

    void thread(unsigned index) {
        if (index == 0) {
            auto s = take(this->tx);
            RL_ASSERT(s.send(1).sent());
            RL_ASSERT(s.send(2).sent());
        } else {
            auto r = take(index == 1 ? this->rx : rx2);
            while (std::optional<int> v = r.recv()) seen[index - 1].push_back(*v);
        }
    }

    void after() { assert_items_1_and_2_received_once(seen); }
};

// The lock-free rows' wake-all is the event count's notify_all (their close). Two waiters wait for
// a generation to reach 2; a first notify_all at generation 1 wakes them for nothing, so they
// re-commit while it is still going round (one waker per round under RelacySync). It must take
// only waiters committed before it began (at most the two), finish, and the second notify_all
// must leave nobody asleep.
template <class Chan>
struct EventCountNotifyAllVsRelink : rl::test_suite<EventCountNotifyAllVsRelink<Chan>, 3> {
    using Events = EventCount<RelacySync>;
    ScopedLot lot;
    Events events;
    rl::atomic<int> generation{0};
    std::size_t first_woken = 0;

    void thread(unsigned index) {
        if (index == 0) {
            // seq_cst: the condition write of the event-count contract (sync/eventcount.hpp).
            generation.store(1, rl::mo_seq_cst, $);
            first_woken = events.notify_all();
            generation.store(2, rl::mo_seq_cst, $);
            events.notify_all();
        } else {
            wait_for_generation(2);
        }
    }

    // The event count's waiting protocol, as LockFreeChannel::Waiter runs it.
    void wait_for_generation(int target) {
        typename Events::Node node;
        RelacySync::parker parker;
        for (;;) {
            if (generation.load(rl::mo_seq_cst, $) >= target) return;
            const typename Events::Key key = events.prepare();
            if (generation.load(rl::mo_seq_cst, $) >= target) {  // seq_cst: the waiter's re-check
                events.cancel();
                return;
            }
            if (!events.commit(key, node, parker.arm())) continue;
            parker.park();
            (void)events.withdraw(node);
        }
    }

    void after() { RL_ASSERT(first_woken <= 2); }
};

}  // namespace wakerbench::modelcheck
