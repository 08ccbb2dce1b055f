#pragma once
// AuditedWaitList<List, Sync>: any wait list, held to the WaitList contract (README, "Adding your
// own waiter storage") after every call. MutexChannel puts it around its lists when Sync::kAudits:
// in debug builds, in the stress tool and in the model checker, never in a release build's
// channel. It keeps a shadow of the list (the live waiters in link order, and the waiters a take
// handed over whose unlink has not yet reported it) and calls Sync::fatal at the first departure:
//   - linked() and empty() agree with the shadow after every call;
//   - unlink(s) returns true exactly when s is linked and was not taken;
//   - take() hands over only linked waiters, only those linked before its mark in a wake-one list,
//     the oldest first, and stops short of min(n, waiters before the mark) only when the batch is
//     full: a waiter woken out of turn is caught here even when nothing is lost;
//   - the channel's pending count equals the waiters taken and not yet settled (check_pending);
//   - the list's own shape holds, if the list can check it (check_shape()).
// Waiters are told apart by their wakers' targets (a parked thread, a task), which are distinct
// while they wait. A caller that links two waiters with one target (a test's shared counter) makes
// a take ambiguous: then only the counts are checked until the list is empty again.
// Every call costs O(waiters): a checking tool, not a wait list to measure. The shadow is inline up
// to kInline waiters: under the model checker every allocation is a choice point (Relacy may defer
// reusing freed memory), and a shadow that allocated multiplied the schedules to explore by 10.

#include <algorithm>
#include <boost/container/small_vector.hpp>
#include <cstddef>
#include <cstdint>
#include <type_traits>

#include "wakerbench/waitlist/wake_batch.hpp"
#include "wakerbench/waker.hpp"

namespace wakerbench::detail {

template <class List, class Sync>
class AuditedWaitList {
public:
    static constexpr WakePolicy kWakePolicy = List::kWakePolicy;
    using Slot = typename List::Slot;
    using Batch = typename List::Batch;

    AuditedWaitList() = default;
    AuditedWaitList(const AuditedWaitList&) = delete;
    AuditedWaitList& operator=(const AuditedWaitList&) = delete;

    [[nodiscard]] bool empty() const noexcept { return list_.empty(); }
    [[nodiscard]] std::size_t linked() const noexcept { return list_.linked(); }
    // Not const: a list may lock to count its spares (vec_reuse).
    [[nodiscard]] std::size_t heap_bytes() { return list_.heap_bytes(); }

    // The list's own mark in the low half, the shadow's link count in the high half: take()
    // needs both, and the channel keeps one integer. A list or a shadow past 2^32 links in one
    // channel is reported rather than wrapped.
    [[nodiscard]] std::uint64_t mark() const noexcept {
        const std::uint64_t own = list_.mark();
        if (own >> 32 != 0 || links_ >> 32 != 0) Sync::fatal("wait list audit: more than 2^32 links in one channel");
        return links_ << 32 | own;
    }

    void link(Slot& s, Waker&& w) {
        const void* target = w.data();
        if (find(live_, s) != live_.end() || find(taken_, s) != taken_.end())
            Sync::fatal("wait list audit: link() of a slot that is already linked or not yet settled");
        live_.reserve(live_.size() + 1);  // the one allocation, before the list changes
        ambiguous_ = ambiguous_ || has_target(live_, target) || has_target(taken_, target);
        list_.link(s, std::move(w));
        live_.push_back({&s, target, links_++});
        check_counts();
    }

    bool unlink(Slot& s) noexcept {
        const bool was_live = find(live_, s) != live_.end();
        const bool was_taken = find(taken_, s) != taken_.end();
        const bool removed = list_.unlink(s);
        if (!ambiguous_ && removed != was_live)
            Sync::fatal(removed ? "wait list audit: unlink() removed a slot that was not linked, or was taken"
                                : "wait list audit: unlink() reported a linked, untaken slot as taken (its wake-up is lost)");
        if (was_live) live_.erase(find(live_, s));
        if (was_taken) taken_.erase(find(taken_, s));
        check_counts();
        return removed;
    }

    std::size_t take(std::size_t n, Batch& out, std::uint64_t mark) noexcept {
        const std::uint64_t before_mark = mark >> 32;
        const std::size_t eligible = static_cast<std::size_t>(
            std::count_if(live_.begin(), live_.end(), [&](const Entry& e) { return e.seq < before_mark; }));
        const std::size_t held = targets(out).size();
        const std::size_t taken = list_.take(n, out, mark & 0xffff'ffffu);
        Targets handed = targets(out);
        if (handed.size() != held + taken) Sync::fatal("wait list audit: take() returned a count unlike the wakers it put in the batch");
        handed.erase(handed.begin(), handed.begin() + static_cast<std::ptrdiff_t>(held));
        if (kWakePolicy == WakePolicy::one && taken > n) Sync::fatal("wait list audit: a wake-one take() took more than n waiters");
        if (taken < std::min(n, eligible) && !out.full())
            Sync::fatal("wait list audit: take() left waiters linked before the mark with room in the batch (a lost wake-up)");
        if (ambiguous_) {  // counts only: move the oldest entries along, whichever they were
            const std::size_t k = std::min(taken, live_.size());
            taken_.insert(taken_.end(), live_.begin(), live_.begin() + static_cast<std::ptrdiff_t>(k));
            live_.erase(live_.begin(), live_.begin() + static_cast<std::ptrdiff_t>(k));
        } else {
            for (const void* target : handed) hand_over(target, before_mark);
        }
        check_counts();
        return taken;
    }

    // Called by the channel under its lock: every waiter it counts as woken and not yet back is
    // one a take handed over and whose unlink has not reported it yet, and no other.
    void check_pending(std::size_t pending) const noexcept {
        if (pending != taken_.size()) Sync::fatal("wait list audit: the channel's pending count differs from the waiters taken and not yet settled");
    }

private:
    static constexpr std::size_t kInline = 8;
    struct Entry {
        const Slot* slot;
        const void* target;
        std::uint64_t seq;  // the shadow's link order
    };

    template <class Entries>
    static auto find(Entries& v, const Slot& s) noexcept {
        return std::find_if(v.begin(), v.end(), [&](const Entry& e) { return e.slot == &s; });
    }
    template <class Entries>
    static bool has_target(const Entries& v, const void* target) noexcept {
        return std::any_of(v.begin(), v.end(), [&](const Entry& e) { return e.target == target; });
    }
    using Targets = boost::container::small_vector<const void*, kInline>;
    static Targets targets(const Batch& b) {
        Targets t;
        b.for_each_target([&](const void* p) { t.push_back(p); });
        return t;
    }

    // The i-th waker of this take: a wake-one list must hand over its oldest live waiter, linked
    // before the mark; a wake-all list any live waiter (it may take everyone).
    void hand_over(const void* target, std::uint64_t before_mark) noexcept {
        auto it = kWakePolicy == WakePolicy::one
                      ? live_.begin()
                      : std::find_if(live_.begin(), live_.end(), [&](const Entry& e) { return e.target == target; });
        if (it == live_.end() || it->target != target)
            Sync::fatal(kWakePolicy == WakePolicy::one ? "wait list audit: a wake-one take() woke a waiter out of turn (not the oldest linked)"
                                                       : "wait list audit: take() handed over a waker of no linked waiter");
        if (kWakePolicy == WakePolicy::one && it->seq >= before_mark)
            Sync::fatal("wait list audit: take() woke a waiter linked after its mark");
        taken_.push_back(*it);
        live_.erase(it);
    }

    void check_counts() noexcept {
        if (list_.linked() != live_.size() || list_.empty() != live_.empty())
            Sync::fatal("wait list audit: linked()/empty() disagree with the waiters linked and not taken");
        if (live_.empty() && taken_.empty()) ambiguous_ = false;
        if constexpr (requires { list_.check_shape(); }) list_.check_shape();
    }

    List list_;
    boost::container::small_vector<Entry, kInline> live_;   // linked and not taken, in link order
    boost::container::small_vector<Entry, kInline> taken_;  // taken by a notify, unlink not yet called
    std::uint64_t links_ = 0;
    bool ambiguous_ = false;  // two waiters shared a target since the list was last empty
};

// Stands in for a field only an audited channel keeps.
struct Unaudited {};

// The list a channel holds: audited where Sync asks for it.
template <class List, class Sync>
using ListFor = std::conditional_t<Sync::kAudits, AuditedWaitList<List, Sync>, List>;

}  // namespace wakerbench::detail
