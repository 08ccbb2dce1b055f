#pragma once
// moodycamel::ConcurrentQueue behind the queue interface LockFreeChannel expects:
//   explicit Queue(Capacity);
//   std::size_t push_bulk(std::span<T>)                    - moves items in, front first; returns how
//                                                           many went in (fewer only if memory ran out)
//   std::size_t pop_bulk(std::optional<T>* out, size_t max) - may come back short, even empty, while
//                                                           items are in flight: the channel's
//                                                           counters know how many exist and retry
// Items go in through implicit producers, one sub-queue per sending thread, so order holds per
// sending thread (moodycamel's own guarantee), not across threads.

#include <concurrentqueue/concurrentqueue.h>

#include <algorithm>
#include <cstddef>
#include <iterator>
#include <optional>
#include <span>

#include "wakerbench/channel/capacity.hpp"
#include "wakerbench/impl_info.hpp"

namespace wakerbench {

template <class T>
class MoodycamelQueue {
public:
    static constexpr const char* kName = "moodycamel";
    static constexpr PayloadLimit kPayload = PayloadLimit::nothrow_movable;
    static constexpr Order kOrder = Order::per_sending_thread;  // one implicit producer sub-queue per thread
    static constexpr const char* kAllocation = "queue blocks recycled after warm-up; a new sending thread allocates its sub-queue";

    // Bounded channels preallocate blocks for their capacity (up to a limit), so the first lap
    // does not allocate; unbounded ones start with moodycamel's default.
    explicit MoodycamelQueue(Capacity capacity)
        : queue_(capacity.bounded() ? std::min<std::size_t>(capacity.limit(), kPreallocateUpTo) : kDefaultBlocks) {}

    // Enqueueing is all or nothing in moodycamel: 0 means it could not allocate a block.
    std::size_t push_bulk(std::span<T> items) {
        if (items.size() == 1) return queue_.enqueue(std::move(items[0])) ? 1 : 0;
        return queue_.enqueue_bulk(std::make_move_iterator(items.begin()), items.size()) ? items.size() : 0;
    }
    std::size_t pop_bulk(std::optional<T>* out, std::size_t max) {
        if (max == 1) return queue_.try_dequeue(*out) ? 1 : 0;
        return queue_.try_dequeue_bulk(out, max);
    }

private:
    static constexpr std::size_t kPreallocateUpTo = 4096;
    static constexpr std::size_t kDefaultBlocks = 6 * moodycamel::ConcurrentQueueDefaultTraits::BLOCK_SIZE;

    moodycamel::ConcurrentQueue<T> queue_;
};

}  // namespace wakerbench
