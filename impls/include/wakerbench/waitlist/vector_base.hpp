#pragma once
// What `vec` and `vec_reuse` share: waiters are (owner, waker) entries in a std::vector, and a
// notify takes the whole vector at once (wake-all), like batch-channel's Vec<Waker>. The two
// differ only in what the channel is left holding after a take (see vec.hpp, vec_reuse.hpp).
//
// One deliberate difference from the Rust original: there a cancelled future's waker may stay in
// the Vec, because a Rust Waker is reference-counted and waking a stale one is harmless. Our
// Waker is two plain words pointing at a stack frame or a task, so a stale entry would dangle;
// cancellation therefore finds and erases its entry (O(n) scan, then swap-and-pop).
//
// All fields are guarded by the channel mutex.

#include <cstddef>
#include <cstdint>
#include <vector>

#include "wakerbench/waitlist/pinned_slot.hpp"
#include "wakerbench/waitlist/wake_batch.hpp"
#include "wakerbench/waker.hpp"

namespace wakerbench::detail {

template <class Sync>
class VectorWaitListBase {
    template <class T>
    using cell = typename Sync::template cell<T>;

public:
    static constexpr WakePolicy kWakePolicy = WakePolicy::all;
    static constexpr const char* kCancel = "O(n) find and erase";

    class Slot : public PinnedSlot<Sync> {
        friend VectorWaitListBase;
        cell<std::uint64_t> generation_{0};  // the list's take-generation when this slot linked
    };

    struct Entry {
        const Slot* owner;
        Waker waker;
    };

    VectorWaitListBase() = default;
    VectorWaitListBase(const VectorWaitListBase&) = delete;
    VectorWaitListBase& operator=(const VectorWaitListBase&) = delete;
    ~VectorWaitListBase() { die_if_waiters_remain<Sync>(!empty()); }

    [[nodiscard]] bool empty() const noexcept { return waiters_.read().empty(); }
    // Waiters linked now (a cancelled one erases its entry, so every entry is a live waiter).
    [[nodiscard]] std::size_t linked() const noexcept { return waiters_.read().size(); }
    // Heap the list holds (capacity, not size): what stays behind once a burst of waiters is served.
    [[nodiscard]] std::size_t heap_bytes() const noexcept { return waiters_.read().capacity() * sizeof(Entry); }

    // A take empties the whole vector, so everything in it was linked before the call: the mark
    // is not needed to keep later waiters out.
    [[nodiscard]] std::uint64_t mark() const noexcept { return 0; }

    // May allocate (vector growth): the cost this row exists to measure.
    void link(Slot& s, Waker&& w) {
        waiters_.write().push_back(Entry{&s, std::move(w)});
        s.generation_.write() = generation_.read();
        s.linked_.write() = true;
    }

    bool unlink(Slot& s) noexcept {
        if (!s.linked_.read()) return false;
        s.linked_.write() = false;
        // A take since we linked moved our entry out with the rest: we have been (or will be) woken.
        if (s.generation_.read() != generation_.read()) return false;
        auto& v = waiters_.write();
        for (auto& e : v) {
            if (e.owner == &s) {
                e = std::move(v.back());  // order is irrelevant: a notify wakes everyone
                v.pop_back();
                return true;
            }
        }
        Sync::fatal("vector wait list: a linked waiter has no entry (list corrupted)");
    }

protected:
    // A batch's targets, for the audit (audited.hpp): the batches hold the taken vector of entries.
    template <class F>
    static void for_each_target(const std::vector<Entry>& taken, F&& f) noexcept {
        for (const Entry& e : taken) f(e.waker.data());
    }
    // Marks the current contents as taken; the caller moves them out.
    std::vector<Entry>& begin_take() noexcept {
        ++generation_.write();
        return waiters_.write();
    }

private:
    cell<std::vector<Entry>> waiters_{};
    cell<std::uint64_t> generation_{0};
};

}  // namespace wakerbench::detail
