#pragma once
// `small_vec`: the wakers of the first kInline waiters live inline in the channel, in a
// boost::container::small_vector; beyond that the vector moves to the heap, as many production
// channels store their waiters. Wake-one in link order, with pass-on handled by the channel core.
// It answers whether a small inline buffer gets intrusive's "no allocation" for the common case of
// a few waiters, and what it costs when more wait.
//
// Entries stay in link order (seq ascending), so a take pops a prefix and a cancel finds its entry
// by binary search on its seq, then erases it (O(n) shift). Once the waiters have outgrown the
// inline buffer the vector keeps its heap buffer (small_vector never moves back inline), like
// vec_reuse keeps its high-water capacity.
//
// All fields here, in the list and in each node, are guarded by the channel mutex.

#include <algorithm>
#include <boost/container/small_vector.hpp>
#include <cstddef>
#include <cstdint>

#include "wakerbench/detail/die.hpp"
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
    ~SmallVecWaitList() { detail::die_if_waiters_remain(!empty()); }

    [[nodiscard]] bool empty() const noexcept { return entries_.read().empty(); }
    [[nodiscard]] std::size_t linked() const noexcept { return entries_.read().size(); }
    // Heap the list holds: none while the entries fit inline, the heap buffer's capacity after.
    [[nodiscard]] std::size_t heap_bytes() const noexcept {
        const auto& v = entries_.read();
        return v.capacity() > kInline ? v.capacity() * sizeof(Entry) : 0;
    }
    [[nodiscard]] std::uint64_t mark() const noexcept { return next_seq_.read(); }

    // May allocate once more than kInline wait at the same time (and again when the heap buffer grows).
    void link(Slot& s, Waker&& w) {
        const std::uint64_t seq = next_seq_.write()++;
        entries_.write().push_back(Entry{&s, std::move(w), seq});
        s.seq_.write() = seq;
        s.linked_.write() = true;
    }

    // Precondition: s is this list's node or was never linked. True if it was still linked: its
    // entry is erased (and the waker dropped). False if a take got there first.
    bool unlink(Slot& s) noexcept {
        if (!s.linked_.read()) return false;
        s.linked_.write() = false;
        auto& v = entries_.write();
        const std::uint64_t seq = s.seq_.read();
        const auto it = std::lower_bound(v.begin(), v.end(), seq, [](const Entry& e, std::uint64_t q) { return e.seq < q; });
        if (it == v.end() || it->owner != &s) detail::die("small_vec: a linked waiter has no entry (list corrupted)");
        v.erase(it);
        return true;
    }

    // Moves the wakers of up to n of the oldest waiters linked before `mark` into the batch.
    std::size_t take(std::size_t n, Batch& out, std::uint64_t mark) noexcept {
        if (Sync::injects(Fault::wake_all_ignores_mark)) mark = next_seq_.read();
        auto& v = entries_.write();
        std::size_t taken = 0;
        while (taken < n && !out.full() && taken < v.size() && v[taken].seq < mark) {
            Entry& e = v[taken];
            e.owner->linked_.write() = false;  // the owner's unlink() now reports "woken"
            out.push(std::move(e.waker));
            ++taken;
        }
        v.erase(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(taken));  // one shift for the whole prefix
        return taken;
    }

private:
    struct Entry {
        Slot* owner;
        Waker waker;
        std::uint64_t seq;  // link order: entries are sorted by it
    };

    cell<boost::container::small_vector<Entry, kInline>> entries_{};
    cell<std::uint64_t> next_seq_{0};
};

}  // namespace wakerbench
