#pragma once
// boost::lockfree::queue (a Michael-Scott queue over a node free list) behind the queue interface
// LockFreeChannel expects (see moodycamel.hpp). Boost copies items in and out with plain
// assignment and never runs destructors, so it takes only trivially copyable payloads; the
// registry declares that, and callers with other payloads see "n/a" instead of a compile error.
// It has no bulk operations: batches are loops of single pushes and pops.

#include <boost/lockfree/queue.hpp>

#include <algorithm>
#include <cstddef>
#include <optional>
#include <span>

#include "wakerbench/channel/capacity.hpp"
#include "wakerbench/impl_info.hpp"

namespace wakerbench {

template <class T>
class BoostLockfreeQueue {
public:
    static constexpr const char* kName = "boost_lockfree";
    static constexpr PayloadLimit kPayload = PayloadLimit::trivially_copyable;
    static constexpr Order kOrder = Order::fifo;  // one linearizable queue
    static constexpr const char* kAllocation = "nodes recycled through Boost's free list after warm-up";

    static_assert(satisfies<T>(kPayload), "wakerbench: boost_lockfree requires a trivially copyable, default constructible T");

    // Bounded channels put their capacity's nodes on the free list up front (up to a limit).
    explicit BoostLockfreeQueue(Capacity capacity)
        : queue_(capacity.bounded() ? std::min<std::size_t>(capacity.limit(), kPreallocateUpTo) : kDefaultNodes) {}

    // push() only fails when a node cannot be allocated; the items before it are in.
    std::size_t push_bulk(std::span<T> items) {
        std::size_t pushed = 0;
        while (pushed < items.size() && queue_.push(items[pushed])) ++pushed;
        return pushed;
    }
    std::size_t pop_bulk(std::optional<T>* out, std::size_t max) {
        std::size_t popped = 0;
        T item;
        while (popped < max && queue_.pop(item)) out[popped++].emplace(item);
        return popped;
    }

private:
    static constexpr std::size_t kPreallocateUpTo = 4096;
    static constexpr std::size_t kDefaultNodes = 128;

    boost::lockfree::queue<T> queue_;
};

}  // namespace wakerbench
