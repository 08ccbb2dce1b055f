#pragma once
// One interface over everything that stores blocked waiters, for the wait-list microbenchmarks:
// a WaitList of the mutex rows (vec, vec_reuse, slab, intrusive, ... from the registry) and the
// lock-free rows' EventCount. Each is driven directly on one thread: no channel and no channel
// lock. (The event count takes its own mutex inside every call; uncontended here, it is part of
// what that strategy costs.)
//
//   link(node, waker)   a waiter links itself
//   notify_one()        wake the next waiter (the wake-one path: a wake-all list takes everyone)
//   notify_all()        wake every waiter linked before the call
//   settle(node)        a woken waiter comes back: true if a notify had taken it
//   cancel(node)        a waiting waiter gives up: true if it was still linked and is now withdrawn
//   heap_bytes()        heap the strategy holds now (capacity, not size)

#include <cstddef>
#include <cstdint>
#include <limits>
#include <utility>

#include "wakerbench/detail/die.hpp"
#include "wakerbench/sync/eventcount.hpp"
#include "wakerbench/sync/std_sync.hpp"
#include "wakerbench/waker.hpp"

namespace wakerbench::bench::waitlist {

template <class List>
class ListStrategy {
public:
    using Node = typename List::Slot;

    void link(Node& n, Waker&& w) { list_.link(n, std::move(w)); }

    void notify_one() {
        typename List::Batch batch;
        list_.take(1, batch, list_.mark());
        batch.wake_all();
    }

    // As the channel core wakes everyone (a close): the waiters linked before the call, taken in
    // bounded batches where the list hands them over that way, each batch woken before the next is
    // taken (the core's go-round-again, here without a lock to release in between).
    void notify_all() {
        const std::uint64_t mark = list_.mark();
        for (bool more = true; more;) {
            typename List::Batch batch;
            list_.take(std::numeric_limits<std::size_t>::max(), batch, mark);
            more = batch.full();
            batch.wake_all();
        }
    }

    bool settle(Node& n) { return !list_.unlink(n); }
    bool cancel(Node& n) { return list_.unlink(n); }
    [[nodiscard]] std::size_t heap_bytes() { return list_.heap_bytes(); }

private:
    List list_;
};

class EventCountStrategy {
    using Events = EventCount<StdSync>;

public:
    static constexpr const char* kName = "eventcount";
    using Node = Events::Node;

    // prepare, then commit: nothing notifies in between on one thread, so the commit links.
    void link(Node& n, Waker&& w) {
        const Events::Key key = events_.prepare();
        if (!events_.commit(key, n, std::move(w))) detail::die("waitlist/eventcount: a commit with no notify in between was refused");
    }
    void notify_one() { (void)events_.notify(1); }
    void notify_all() { (void)events_.notify_all(); }
    bool settle(Node& n) { return events_.withdraw(n); }
    bool cancel(Node& n) { return !events_.withdraw(n); }
    [[nodiscard]] static constexpr std::size_t heap_bytes() noexcept { return Events::heap_bytes(); }

private:
    Events events_;
};

}  // namespace wakerbench::bench::waitlist
