#pragma once
// `small_vec`: the wakers of the first kInline waiters live inline in the channel, in a
// boost::container::small_vector; beyond that the vector moves to the heap, as many production
// channels store their waiters. Wake-one in link order, with pass-on handled by the channel core.
// It answers whether a small inline buffer gets intrusive's "no allocation" for the common case of
// a few waiters, and what it costs when more wait.
//
// Entries stay in link order (seq ascending). The live ones are entries_[head_, size): a take
// advances head_ past the prefix it wakes instead of shifting the rest down (one erase per take
// made a wake-all of N waiters O(N^2 / kWakeBatch): 470 us at N = 4096, 14x intrusive). The dead
// prefix is dropped when the list empties, or by a link once it is half the vector (so each live
// entry moved was paid for by a take or cancel that grew the prefix) or fills the inline buffer.
// A cancel finds its entry by binary search on its seq and erases it (an O(n) shift), or, for the
// oldest, just advances head_. Once the waiters have outgrown the inline buffer the vector keeps
// its heap buffer (small_vector never moves back inline), like vec_reuse keeps its high-water
// capacity.
//
// All fields here, in the list and in each node, are guarded by the channel mutex.

#include <algorithm>
#include <cassert>
#include <boost/container/small_vector.hpp>
#include <cstddef>
#include <cstdint>

#include "wakerbench/sync/faults.hpp"
#include "wakerbench/waitlist/pinned_slot.hpp"
#include "wakerbench/waitlist/wake_batch.hpp"
#include "wakerbench/waker.hpp"

namespace wakerbench {

template <class Sync>
class SmallVecWaitList {
    template <class T>
    using cell = typename Sync::template cell<T>;

public:
    static constexpr std::size_t kInline = 4;
    static constexpr const char* kName = "small_vec";
    static constexpr WakePolicy kWakePolicy = WakePolicy::one;
    static constexpr const char* kStorage = "first 4 wakers inline in the channel (boost small_vector), heap beyond; FIFO";
    static constexpr const char* kCancel = "O(log n) find, O(n) erase";
    static constexpr const char* kSteadyStateAllocation = "none while at most 4 wait; beyond, keeps its high-water heap capacity";

    using Batch = FixedWakeBatch<Sync::kWakeBatch>;

    class Slot : public detail::PinnedSlot<Sync> {
        friend SmallVecWaitList;
        cell<std::uint64_t> seq_{0};  // its entry's seq: how a cancel finds the entry
    };

    SmallVecWaitList() = default;
    SmallVecWaitList(const SmallVecWaitList&) = delete;
    SmallVecWaitList& operator=(const SmallVecWaitList&) = delete;
    ~SmallVecWaitList() { detail::die_if_waiters_remain<Sync>(!empty()); }

    [[nodiscard]] bool empty() const noexcept { return head_.read() == entries_.read().size(); }
    [[nodiscard]] std::size_t linked() const noexcept { return entries_.read().size() - head_.read(); }
    // Heap the list holds: none while the entries fit inline, the heap buffer's capacity after.
    [[nodiscard]] std::size_t heap_bytes() const noexcept {
        const auto& v = entries_.read();
        return v.capacity() > kInline ? v.capacity() * sizeof(Entry) : 0;
    }
    [[nodiscard]] std::uint64_t mark() const noexcept { return next_seq_.read(); }

    // May allocate once more than kInline wait at the same time (and again when the heap buffer grows).
    void link(Slot& s, Waker&& w) {
        const std::uint64_t seq = next_seq_.write()++;
        auto& v = entries_.write();
        // Compact when the dead prefix is half the vector (amortized: at most head live entries move),
        // and when the inline buffer is full, so that at most kInline live waiters never allocate.
        if (std::size_t& head = head_.write(); head != 0 && (2 * head >= v.size() || v.size() == kInline)) {
            v.erase(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(head));
            head = 0;
        }
        v.push_back(Entry{&s, std::move(w), seq});
        s.seq_.write() = seq;
        s.linked_.write() = true;
    }

    // Precondition: s is this list's node or was never linked. True if it was still linked: its
    // entry is erased (and the waker dropped). False if a take got there first.
    bool unlink(Slot& s) noexcept {
        if (!s.linked_.read()) return false;
        s.linked_.write() = false;
        auto& v = entries_.write();
        std::size_t& head = head_.write();
        const std::uint64_t seq = s.seq_.read();
        const auto live = v.begin() + static_cast<std::ptrdiff_t>(head);
        const auto it = std::lower_bound(live, v.end(), seq, [](const Entry& e, std::uint64_t q) { return e.seq < q; });
        if (it == v.end() || it->owner != &s) Sync::fatal("small_vec: a linked waiter has no entry (list corrupted)");
        if (it == live) {
            Waker dropped = std::move(it->waker);  // the oldest: it joins the dead prefix, its waker released here
            advance_head(v, head, 1);
        } else {
            v.erase(it);
        }
        return true;
    }

    // Moves the wakers of up to n of the oldest waiters linked before `mark` into the batch.
    std::size_t take(std::size_t n, Batch& out, std::uint64_t mark) noexcept {
        if (Sync::injects(Fault::wake_all_ignores_mark)) mark = next_seq_.read();
        auto& v = entries_.write();
        std::size_t& head = head_.write();
        std::size_t taken = 0;
        while (taken < n && !out.full() && head + taken < v.size() && v[head + taken].seq < mark) {
            Entry& e = v[head + taken];
            e.owner->linked_.write() = false;  // the owner's unlink() now reports "woken"
            out.push(std::move(e.waker));      // leaves an empty waker in the dead prefix
            ++taken;
        }
        advance_head(v, head, taken);
        return taken;
    }

private:
    // Precondition: head + k <= v.size(). Drops the k oldest live entries from view; an emptied list
    // starts over at the front (capacity kept).
    template <class Vector>
    static void advance_head(Vector& v, std::size_t& head, std::size_t k) noexcept {
        assert(head + k <= v.size());
        head += k;
        if (head == v.size()) {
            v.clear();
            head = 0;
        }
    }

    struct Entry {
        Slot* owner;
        Waker waker;
        std::uint64_t seq;  // link order: entries are sorted by it
    };

    cell<boost::container::small_vector<Entry, kInline>> entries_{};
    cell<std::size_t> head_{0};  // entries_[0, head_) were taken or cancelled: moved-from, awaiting compaction
    cell<std::uint64_t> next_seq_{0};
};

}  // namespace wakerbench
