#pragma once
// `intrusive`: the list node lives inside the waiter (the awaiter in a coroutine frame, or the
// blocked thread's stack frame). Linking and unlinking are O(1) pointer swaps under the channel
// lock and never allocate. FIFO, wake-one, with pass-on handled by the channel core.
//
// Every field here, in the list and in each node, is guarded by the channel mutex: the notifier
// and the waiter only ever touch a node while holding it.

#include <cstddef>
#include <cstdint>

#include "wakerbench/sync/faults.hpp"
#include "wakerbench/waitlist/linked_fifo.hpp"
#include "wakerbench/waitlist/pinned_slot.hpp"
#include "wakerbench/waitlist/wake_batch.hpp"
#include "wakerbench/waker.hpp"

namespace wakerbench {

template <class Sync>
class IntrusiveWaitList {
    template <class T>
    using cell = typename Sync::template cell<T>;

public:
    static constexpr const char* kName = "intrusive";
    static constexpr WakePolicy kWakePolicy = WakePolicy::one;
    static constexpr const char* kStorage = "node inside the waiter, doubly linked, FIFO";
    static constexpr const char* kCancel = "O(1) unlink";
    static constexpr const char* kSteadyStateAllocation = "none, ever";

    using Batch = FixedWakeBatch<Sync::kWakeBatch>;

    // The node. Neither copyable nor movable: the list holds its address while it is linked.
    class Slot;
    using Fifo = detail::LinkedFifo<Sync, Slot>;
    class Slot : public detail::PinnedSlot<Sync> {
        friend IntrusiveWaitList;
        friend Fifo;
        typename Fifo::Links links_;
        cell<Waker> waker_{};
        cell<std::uint64_t> seq_{0};  // link order; a notify-all only takes nodes older than its mark
    };

    IntrusiveWaitList() = default;
    IntrusiveWaitList(const IntrusiveWaitList&) = delete;
    IntrusiveWaitList& operator=(const IntrusiveWaitList&) = delete;
    ~IntrusiveWaitList() { detail::die_if_waiters_remain<Sync>(!empty()); }

    [[nodiscard]] bool empty() const noexcept { return fifo_.front() == nullptr; }
    // Waiters linked now. O(n): a diagnostic (a watchdog's report), kept off the hot path, which
    // has no counter to maintain.
    [[nodiscard]] std::size_t linked() const noexcept {
        std::size_t n = 0;
        for (const Slot* s = fifo_.front(); s != nullptr; s = Fifo::next(*s)) ++n;
        return n;
    }
    // The nodes live inside the waiters: the list itself holds no heap at all.
    [[nodiscard]] static constexpr std::size_t heap_bytes() noexcept { return 0; }

    // Every node linked so far has a seq below the mark.
    [[nodiscard]] std::uint64_t mark() const noexcept { return next_seq_.read(); }

    void link(Slot& s, Waker&& w) noexcept {
        s.waker_.write() = std::move(w);
        s.seq_.write() = next_seq_.write()++;
        s.linked_.write() = true;
        fifo_.push_back(s);
    }

    // True if the node was still linked: it is removed and its waker dropped (the caller owns the
    // waiter, and with it a reference to what the waker targets, so the drop frees nothing here).
    // False if a notify already took its waker: the caller was, or is about to be, woken.
    bool unlink(Slot& s) noexcept {
        if (!s.linked_.read()) return false;
        detach(s);
        s.waker_.write() = Waker{};
        return true;
    }

    // Moves the wakers of up to n of the oldest waiters linked before `mark` into the batch.
    std::size_t take(std::size_t n, Batch& out, std::uint64_t mark) noexcept {
        if (Sync::injects(Fault::wake_all_ignores_mark)) mark = next_seq_.read();
        std::size_t taken = 0;
        for (Slot* s = fifo_.front(); s != nullptr && taken < n && !out.full() && s->seq_.read() < mark; s = fifo_.front()) {
            detach(*s);
            out.push(std::move(s->waker_.write()));
            ++taken;
        }
        return taken;
    }

    // For the audit (audited.hpp): the links agree both ways, and the FIFO is in link order.
    void check_shape() const noexcept {
        fifo_.check_shape();
        for (const Slot* s = fifo_.front(); s != nullptr && Fifo::next(*s) != nullptr; s = Fifo::next(*s))
            if (Fifo::next(*s)->seq_.read() <= s->seq_.read()) Sync::fatal("intrusive: the FIFO is not in link order");
    }

private:
    // Precondition: s is linked here.
    void detach(Slot& s) noexcept {
        fifo_.erase(s);
        s.linked_.write() = false;
    }

    Fifo fifo_;
    cell<std::uint64_t> next_seq_{0};
};

}  // namespace wakerbench
