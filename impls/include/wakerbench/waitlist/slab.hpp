#pragma once
// `slab`: wakers live in a slab of slots owned by the channel; each waiter holds its key. A free
// list makes link and cancel O(1); a FIFO of (key, seq) gives wake-one in link order. A cancelled
// waiter leaves its FIFO entry behind, recognised as stale by its seq and skipped by the next take.
// Nothing allocates once the slab and the FIFO have reached their high-water marks, which they
// keep.
//
// All fields are guarded by the channel mutex.

#include <algorithm>
#include <boost/circular_buffer.hpp>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "wakerbench/sync/faults.hpp"
#include "wakerbench/waitlist/pinned_slot.hpp"
#include "wakerbench/waitlist/wake_batch.hpp"
#include "wakerbench/waker.hpp"

namespace wakerbench {

template <class Sync>
class SlabWaitList {
    template <class T>
    using cell = typename Sync::template cell<T>;
    using Key = std::uint32_t;
    static constexpr Key kNoKey = ~Key{0};

    struct Entry {
        Waker waker;
        std::uint64_t seq = 0;  // seq of the link that owns this entry; stale FIFO entries differ
        Key next_free = kNoKey;
        bool occupied = false;
    };
    struct Ticket {
        Key key;
        std::uint64_t seq;
    };

public:
    static constexpr const char* kName = "slab";
    static constexpr WakePolicy kWakePolicy = WakePolicy::one;
    static constexpr const char* kStorage = "slab of slots + free list; the waiter holds its key";
    static constexpr const char* kCancel = "O(1) remove";
    static constexpr const char* kSteadyStateAllocation = "none after warm-up; keeps its high-water capacity";

    using Batch = FixedWakeBatch<Sync::kWakeBatch>;

    class Slot : public detail::PinnedSlot<Sync> {
        friend SlabWaitList;
        cell<Key> key_{kNoKey};
        cell<std::uint64_t> seq_{0};
    };

    SlabWaitList() = default;
    SlabWaitList(const SlabWaitList&) = delete;
    SlabWaitList& operator=(const SlabWaitList&) = delete;
    ~SlabWaitList() { detail::die_if_waiters_remain<Sync>(!empty()); }

    [[nodiscard]] bool empty() const noexcept { return occupied_.read() == 0; }
    [[nodiscard]] std::size_t linked() const noexcept { return occupied_.read(); }  // waiters linked now
    [[nodiscard]] std::uint64_t mark() const noexcept { return next_seq_.read(); }
    // Heap the list holds (capacity, not size): both the slab and the FIFO keep their high-water marks.
    [[nodiscard]] std::size_t heap_bytes() const noexcept {
        return slots_.read().capacity() * sizeof(Entry) + fifo_.read().capacity() * sizeof(Ticket);
    }

    void link(Slot& s, Waker&& w) {
        auto& fifo = fifo_.write();
        if (fifo.full()) fifo.set_capacity(fifo.capacity() == 0 ? 8 : 2 * fifo.capacity());
        const Key key = acquire_key();
        const std::uint64_t seq = next_seq_.write()++;
        Entry& e = slots_.write()[key];
        e.waker = std::move(w);
        e.seq = seq;
        e.occupied = true;
        ++occupied_.write();
        fifo.push_back(Ticket{key, seq});
        s.key_.write() = key;
        s.seq_.write() = seq;
        s.linked_.write() = true;
    }

    bool unlink(Slot& s) noexcept {
        if (!s.linked_.read()) return false;
        s.linked_.write() = false;
        if (!owns(s.key_.read(), s.seq_.read())) return false;  // a take got there first
        release(s.key_.read());  // drops the waker; its FIFO ticket goes stale
        if (++stale_.write() > kCompactAfter && stale_.read() > occupied_.read()) compact();
        return true;
    }

    std::size_t take(std::size_t n, Batch& out, std::uint64_t mark) noexcept {
        if (Sync::injects(Fault::wake_all_ignores_mark)) mark = next_seq_.read();
        auto& fifo = fifo_.write();
        std::size_t taken = 0;
        while (taken < n && !out.full() && !fifo.empty()) {
            const Ticket t = fifo.front();
            const bool live = Sync::injects(Fault::reused_key_out_of_turn) ? slots_.read()[t.key].occupied : owns(t.key, t.seq);
            if (!live) {  // cancelled waiter: skip
                fifo.pop_front();
                --stale_.write();
                continue;
            }
            if (t.seq >= mark) break;  // linked after the notify began
            fifo.pop_front();
            out.push(std::move(slots_.write()[t.key].waker));
            release(t.key);
            ++taken;
        }
        return taken;
    }

    // For the audit (audited.hpp): each FIFO ticket names its link's occupied slot or is counted
    // stale, live tickets are in link order, and the free list and the occupied slots make up the slab.
    void check_shape() const noexcept {
        std::size_t live = 0, stale = 0;
        std::uint64_t last_seq = 0;
        for (const Ticket& t : fifo_.read()) {
            if (!owns(t.key, t.seq)) {
                ++stale;
                continue;
            }
            if (live++ != 0 && t.seq <= last_seq) Sync::fatal("slab: live FIFO tickets are not in link order");
            last_seq = t.seq;
        }
        if (live != occupied_.read()) Sync::fatal("slab: the FIFO's live tickets differ from the occupied slots");
        if (stale != stale_.read()) Sync::fatal("slab: the count of stale tickets is wrong");
        const auto& slots = slots_.read();
        std::size_t free = 0;
        for (Key k = free_head_.read(); k != kNoKey; k = slots[k].next_free)
            if (slots[k].occupied || ++free > slots.size()) Sync::fatal("slab: the free list holds an occupied slot, or loops");
        if (free + occupied_.read() != slots.size()) Sync::fatal("slab: free and occupied slots do not add up to the slab");
    }

private:
    // Waiters that cancel while nobody notifies (timeouts, dropped futures) would otherwise grow the
    // FIFO without bound; once stale tickets outnumber live ones, drop them (amortised O(1)).
    static constexpr std::size_t kCompactAfter = 64;
    void compact() noexcept {
        auto& fifo = fifo_.write();
        auto live_end = std::remove_if(fifo.begin(), fifo.end(), [&](const Ticket& t) { return !owns(t.key, t.seq); });
        fifo.erase(live_end, fifo.end());
        stale_.write() = 0;
    }

    [[nodiscard]] bool owns(Key key, std::uint64_t seq) const noexcept {
        const Entry& e = slots_.read()[key];
        return e.occupied && e.seq == seq;
    }

    Key acquire_key() {
        Key key = free_head_.read();
        auto& slots = slots_.write();
        if (key == kNoKey) {
            slots.emplace_back();
            return static_cast<Key>(slots.size() - 1);
        }
        free_head_.write() = slots[key].next_free;
        return key;
    }

    void release(Key key) noexcept {
        Entry& e = slots_.write()[key];
        e.waker = Waker{};
        e.occupied = false;
        e.next_free = free_head_.read();
        free_head_.write() = key;
        --occupied_.write();
    }

    cell<std::vector<Entry>> slots_{};
    cell<boost::circular_buffer<Ticket>> fifo_{};
    cell<Key> free_head_{kNoKey};
    cell<std::size_t> occupied_{0};
    cell<std::size_t> stale_{0};  // FIFO tickets whose waiter has cancelled
    cell<std::uint64_t> next_seq_{0};
};

}  // namespace wakerbench
