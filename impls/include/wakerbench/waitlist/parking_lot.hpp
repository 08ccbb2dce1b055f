#pragma once
// `parking_lot`: the waiters are stored outside the channel, in one process-wide table of hashed
// buckets keyed by the wait list's address: the design of WebKit's ParkingLot, Rust's
// parking_lot_core and the kernel's futex hash. The node lives in the waiter (its stack frame or
// coroutine frame), each bucket has its own small lock and one FIFO list of every key hashed to
// it, and the channel keeps no list at all: two words per side, a count of its waiters (so that
// finding nobody waiting never touches the table, the job of WebKit's "has parked" bit) and the
// seq of its next link. Wake-one in link order, with pass-on handled by the channel core.
//
// It answers what moving waiter storage out of the channel costs and saves: a smaller channel and
// no per-channel storage at all, against a second lock on every wait and wake, and walks past
// other channels' waiters when unrelated keys share a bucket.
//
// Locking. Every call comes from the channel core with the channel mutex held (the WaitList
// contract), and takes the bucket's lock inside it: lock order is channel, then bucket, and a
// bucket lock is never held while taking anything else, so no cycle can form.
//   - guarded by the channel mutex: waiting_, next_seq_, and each node's linked_ (only this
//     list's calls touch them);
//   - guarded by the bucket's lock: the bucket's head and tail and every node's links_,
//     which link nodes of different channels, whose calls hold different channel mutexes;
//   - a node's key_, waker_ and seq_ are written by link() and read by calls on the same list,
//     all under the channel mutex (and also under the bucket's lock).

#include <cstddef>
#include <cstdint>
#include <mutex>

#include "wakerbench/sync/faults.hpp"
#include "wakerbench/waitlist/linked_fifo.hpp"
#include "wakerbench/waitlist/pinned_slot.hpp"
#include "wakerbench/waitlist/wake_batch.hpp"
#include "wakerbench/waker.hpp"

namespace wakerbench {

template <class Sync>
class ParkingLotWaitList {
    template <class T>
    using cell = typename Sync::template cell<T>;

public:
    static constexpr const char* kName = "parking_lot";
    static constexpr WakePolicy kWakePolicy = WakePolicy::one;
    static constexpr const char* kStorage =
        "no list in the channel: node inside the waiter, in a process-wide table of hashed buckets keyed by the list's address";
    static constexpr const char* kCancel = "O(1) unlink under the bucket's lock";
    static constexpr const char* kSteadyStateAllocation = "none, ever (the table is made once per process)";

    using Batch = FixedWakeBatch<Sync::kWakeBatch>;

    class Slot;
    using Fifo = detail::LinkedFifo<Sync, Slot>;
    class Slot : public detail::PinnedSlot<Sync> {
        friend ParkingLotWaitList;
        friend Fifo;
        typename Fifo::Links links_;  // in its bucket's list, among other keys' nodes
        cell<const ParkingLotWaitList*> key_{nullptr};  // the list it is linked in: a take skips other keys
        cell<Waker> waker_{};
        cell<std::uint64_t> seq_{0};  // link order within its list; a notify-all takes only older nodes
    };

    ParkingLotWaitList() = default;
    ParkingLotWaitList(const ParkingLotWaitList&) = delete;
    ParkingLotWaitList& operator=(const ParkingLotWaitList&) = delete;
    ~ParkingLotWaitList() { detail::die_if_waiters_remain<Sync>(!empty()); }

    [[nodiscard]] bool empty() const noexcept { return waiting_.read() == 0; }
    [[nodiscard]] std::size_t linked() const noexcept { return waiting_.read(); }
    // The nodes live inside the waiters and the table belongs to the process: no heap per channel.
    [[nodiscard]] static constexpr std::size_t heap_bytes() noexcept { return 0; }
    [[nodiscard]] std::uint64_t mark() const noexcept { return next_seq_.read(); }

    void link(Slot& s, Waker&& w) noexcept {
        s.key_.write() = this;
        s.waker_.write() = std::move(w);
        s.seq_.write() = next_seq_.write()++;
        s.linked_.write() = true;
        ++waiting_.write();
        Bucket& b = bucket();
        std::lock_guard guard(b.lock);
        b.waiters.push_back(s);
    }

    // Precondition: s is this list's node or was never linked. True if it was still linked: it is
    // removed and its waker dropped. False if a notify already took its waker.
    bool unlink(Slot& s) noexcept {
        if (!s.linked_.read()) return false;
        if (s.key_.read() != this) Sync::fatal("parking_lot: unlink() of a node linked in another list");
        Bucket& b = bucket();
        {
            std::lock_guard guard(b.lock);
            detach(b, s);
        }
        s.waker_.write() = Waker{};
        return true;
    }

    // Moves the wakers of up to n of this list's oldest waiters linked before `mark` into the
    // batch, walking past the nodes of other keys that share the bucket.
    std::size_t take(std::size_t n, Batch& out, std::uint64_t mark) noexcept {
        if (Sync::injects(Fault::wake_all_ignores_mark)) mark = next_seq_.read();
        if (empty()) return 0;
        Bucket& b = bucket();
        std::lock_guard guard(b.lock);
        std::size_t taken = 0;
        for (Slot* s = b.waiters.front(); s != nullptr && taken < n && !out.full();) {
            Slot* next = Fifo::next(*s);
            if (s->key_.read() == this) {
                if (s->seq_.read() >= mark) break;  // this key's nodes are in link order: the rest are newer
                detach(b, *s);
                out.push(std::move(s->waker_.write()));
                ++taken;
            }
            s = next;
        }
        return taken;
    }

private:
    struct alignas(64) Bucket {  // one cache line each: unrelated buckets never share a line
        typename Sync::mutex lock;
        Fifo waiters;  // every key's nodes, each key's in its link order
    };
    struct Table {
        Bucket buckets[Sync::kHashBuckets];
    };

    // Fibonacci hashing of the address: neighbouring channels land in unrelated buckets.
    [[nodiscard]] Bucket& bucket() const noexcept {
        const auto key = reinterpret_cast<std::uintptr_t>(this) >> 4;  // low bits: alignment, always zero
        const std::uint64_t h = static_cast<std::uint64_t>(key) * 0x9E3779B97F4A7C15ull;
        return Sync::template process_wide<Table>().buckets[(h >> 32) % Sync::kHashBuckets];
    }

    // Precondition: the bucket's lock is held and s is linked in it under this key.
    void detach(Bucket& b, Slot& s) noexcept {
        b.waiters.erase(s);
        s.linked_.write() = false;
        --waiting_.write();
    }

    cell<std::uint32_t> waiting_{0};     // this list's nodes in the table
    cell<std::uint64_t> next_seq_{0};
};

}  // namespace wakerbench
