#pragma once
// StandInQueue<T>: what the model checker puts where moodycamel or Boost.Lockfree sit in a
// lock-free row. Those queues are built on std::atomic, which Relacy cannot see into, so the
// checked boundary is LockFreeChannel's own protocol (the ready_/free_ counters, the event counts,
// close by counting, cancellation with pass-on) around a queue that is checked too but is not
// theirs. The stand-in promises no more than the real queues do:
//   - order only per producer (moodycamel's guarantee): a pop looks at the producers' lanes
//     starting from one Relacy picks, so items of different producers come out in any order;
//   - an item is handed over with release/acquire on its lane's tail and nothing stronger, so
//     the channel's own orders must carry every other guarantee.
// It never misses an item that is there (moodycamel may, briefly; the channel retries), and it
// has a fixed size for the small models: a lane takes kSlots items per simulation.

#include "relacy_prelude.hpp"
#include "wakerbench/channel/capacity.hpp"
#include "wakerbench/impl_info.hpp"

namespace wakerbench::modelcheck {

template <class T>
class StandInQueue {
    static_assert(std::is_scalar_v<T>, "the stand-in queue keeps items in rl::var, which takes scalars only");
    static constexpr unsigned kLanes = 4;  // producers: Relacy thread indices 0..3
    static constexpr unsigned kSlots = 8;  // items each producer may push in one simulation

    struct Lane {
        rl::atomic<unsigned> head{0};  // next slot to pop; consumers claim slots with a CAS
        rl::atomic<unsigned> tail{0};  // slots filled; only the lane's producer writes it
        rl::var<T> slot[kSlots];
    };

public:
    static constexpr const char* kName = "stand_in";
    static constexpr PayloadLimit kPayload = PayloadLimit::trivially_copyable;
    static constexpr Order kOrder = Order::per_sending_thread;
    static constexpr const char* kAllocation = "none (fixed lanes)";

    explicit StandInQueue(Capacity) {}

    std::size_t push_bulk(std::span<T> items) {
        const unsigned producer = rl::thread_index();
        RL_ASSERT(producer < kLanes);
        Lane& lane = lanes_[producer];
        // relaxed: only this thread writes the tail.
        unsigned t = lane.tail.load(rl::mo_relaxed, $);
        for (T& item : items) {
            RL_ASSERT(t < kSlots);  // a scenario pushed more than the model holds
            lane.slot[t]($) = item;
            // release: the item is written before a consumer can see the slot as filled.
            lane.tail.store(++t, rl::mo_release, $);
        }
        return items.size();
    }

    std::size_t pop_bulk(std::optional<T>* out, std::size_t max) {
        std::size_t popped = 0;
        const unsigned first = rl::rand(kLanes);  // any producer's items may come out first
        for (unsigned i = 0; i < kLanes && popped < max; ++i) {
            Lane& lane = lanes_[(first + i) % kLanes];
            // relaxed: the CAS below decides; a stale head only costs a retry.
            unsigned h = lane.head.load(rl::mo_relaxed, $);
            // acquire: pairs with the producer's release, so slot[h] is written.
            while (popped < max && h < lane.tail.load(rl::mo_acquire, $)) {
                // relaxed: the claim only has to be unique; the item's visibility came with the
                // tail load. Slots are never reused, so a claimed slot cannot change under us.
                if (lane.head.compare_exchange_strong(h, h + 1, rl::mo_relaxed, $)) out[popped++].emplace(lane.slot[h]($));
            }
        }
        return popped;
    }

private:
    Lane lanes_[kLanes];
};

}  // namespace wakerbench::modelcheck
