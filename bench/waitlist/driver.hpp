#pragma once
// The wait-list microbenchmarks' operations, each run against one strategy (strategies.hpp) with
// N waiters in play, and the waiters themselves: pinned nodes whose waker does nothing but record
// that it ran (it pushes its waiter onto a "woken" stack, so the driver knows who to settle).
//
//   link_take_wake       N linked. Link one more, notify one, wake it; the woken waiter settles
//                        and leaves, so N stay linked. A wake-all list takes and wakes all N+1:
//                        the N that find nothing link again (spurious wake-ups), as in a channel.
//   link_cancel_front    N linked. Link one more, then the OLDEST waiter gives up (a timeout).
//   link_cancel_middle   ... the waiter of median age gives up.
//   link_cancel_back     ... the waiter just linked gives up (a cancelled future, at once).
//   wake_all             none linked. Link N, wake them all (bounded batches where the list has
//                        them), every one settles.
//
// "Front", "middle" and "back" are ages, the one order every list shares: a FIFO list keeps them
// as positions; a vector row erases by swapping the last entry into the hole, so there the victim
// drifts through the vector and the mean scan is about N/2, 3N/4 and N entries. The oldest-first
// queue that picks the victims is the driver's own (boost::circular_buffer, O(1), no allocation):
// the middle ages are served by a queue of the younger half, whose oldest is always the median.

#include <boost/circular_buffer.hpp>

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string_view>

#include "wakerbench/detail/die.hpp"
#include "wakerbench/waker.hpp"

namespace wakerbench::bench::waitlist {

enum class Op { link_take_wake, link_cancel_front, link_cancel_middle, link_cancel_back, wake_all };

inline constexpr std::array kOps{Op::link_take_wake, Op::link_cancel_front, Op::link_cancel_middle, Op::link_cancel_back,
                                 Op::wake_all};
inline constexpr std::array<std::size_t, 4> kWaiterCounts{1, 16, 256, 4096};

constexpr std::string_view name_of(Op op) noexcept {
    switch (op) {
        case Op::link_take_wake: return "link_take_wake";
        case Op::link_cancel_front: return "link_cancel_front";
        case Op::link_cancel_middle: return "link_cancel_middle";
        case Op::link_cancel_back: return "link_cancel_back";
        case Op::wake_all: return "wake_all";
    }
    return "?";
}

// Operations the warm-up runs (Driver::warm_up says why so many).
constexpr std::size_t warm_up_ops(Op op, std::size_t n) noexcept { return op == Op::wake_all ? 3 : 2 * (n + 1) + 2 * 64 + 4; }

template <class Strategy>
class Driver {
    // A cache line each, at the same offsets in every run: a repetition that happened to place
    // two waiters' nodes across a line boundary would otherwise time differently from the next.
    struct alignas(64) Waiter {
        typename Strategy::Node node;
        Waiter* next_woken = nullptr;
        Driver* home = nullptr;
    };

public:
    // Sets up the op's starting state: n waiters linked (none for wake_all), oldest first.
    Driver(Op op, std::size_t n) : op_(op), n_(n), waiters_(std::make_unique<Waiter[]>(n + 1)), by_age_(n + 1) {
        if (n == 0) detail::die("waitlist: an operation needs at least one waiter");
        for (std::size_t i = 0; i <= n; ++i) waiters_[i].home = this;
        if (op == Op::wake_all) return;
        for (std::size_t i = 0; i < n; ++i) link(waiters_[i]);
        spare_ = &waiters_[n];
        const std::size_t first_queued = op == Op::link_cancel_middle ? n / 2 : 0;  // older ones never leave
        if (op == Op::link_cancel_front || op == Op::link_cancel_middle)
            for (std::size_t i = first_queued; i < n; ++i) by_age_.push_back(&waiters_[i]);
    }
    Driver(const Driver&) = delete;
    Driver& operator=(const Driver&) = delete;
    // Withdraws whoever is still linked, so neither the strategy nor a node dies linked.
    ~Driver() {
        for (std::size_t i = 0; i <= n_; ++i) (void)strategy_.cancel(waiters_[i].node);
    }

    // Runs before timing: enough operations for every strategy to reach its high-water marks (the
    // slab's FIFO fills with the stale tickets of two rounds of cancellations and compacts; a
    // pooled spare vector is made), so the timed loop sees the steady state.
    void warm_up() {
        for (std::size_t i = 0; i < warm_up_ops(op_, n_); ++i) run_once();
    }

    void run_once() {
        switch (op_) {
            case Op::link_take_wake: return link_take_wake();
            case Op::link_cancel_front:
            case Op::link_cancel_middle: return link_cancel(true);
            case Op::link_cancel_back: return link_cancel(false);
            case Op::wake_all: return wake_all();
        }
    }

    [[nodiscard]] std::uint64_t wakes() const noexcept { return wakes_; }
    [[nodiscard]] std::size_t heap_bytes() { return strategy_.heap_bytes(); }

private:
    void link(Waiter& w) { strategy_.link(w.node, Waker(&w, &kVTable)); }
    void settle(Waiter& w) {
        if (!strategy_.settle(w.node)) detail::die("waitlist: a woken waiter was still linked");
    }
    Waiter* take_woken() noexcept { return std::exchange(woken_, nullptr); }

    void link_take_wake() {
        link(*spare_);
        strategy_.notify_one();
        Waiter* w = take_woken();
        if (w == nullptr) detail::die("waitlist: notify_one woke nobody");
        settle(*w);
        spare_ = w;  // it got what it waited for and leaves
        for (w = w->next_woken; w != nullptr;) {  // a wake-all list woke the others for nothing
            Waiter* next = w->next_woken;
            settle(*w);
            link(*w);
            w = next;
        }
    }

    void link_cancel(bool by_age) {
        link(*spare_);
        Waiter* victim = spare_;
        if (by_age) {
            by_age_.push_back(spare_);
            victim = by_age_.front();
            by_age_.pop_front();
        }
        if (!strategy_.cancel(victim->node)) detail::die("waitlist: a linked waiter could not withdraw");
        spare_ = victim;
    }

    void wake_all() {
        for (std::size_t i = 0; i < n_; ++i) link(waiters_[i]);
        strategy_.notify_all();
        std::size_t woken = 0;
        for (Waiter* w = take_woken(); w != nullptr; w = w->next_woken, ++woken) settle(*w);
        if (woken != n_) detail::die("waitlist: notify_all did not wake every waiter linked before it");
    }

    static void on_wake(void* data) noexcept {
        auto* w = static_cast<Waiter*>(data);
        Driver& d = *w->home;
        w->next_woken = d.woken_;
        d.woken_ = w;
        ++d.wakes_;
    }
    static void on_drop(void*) noexcept {}
    static constexpr WakerVTable kVTable{&on_wake, &on_drop};

    const Op op_;
    const std::size_t n_;
    Strategy strategy_;  // before the waiters: destroyed after them, once the destructor withdrew them
    std::unique_ptr<Waiter[]> waiters_;
    boost::circular_buffer<Waiter*> by_age_;  // link_cancel_front/middle: who gives up next, oldest first
    Waiter* spare_ = nullptr;                  // the waiter that is not linked, to link next
    Waiter* woken_ = nullptr;                  // woken since the last take_woken(), newest first
    std::uint64_t wakes_ = 0;
};

}  // namespace wakerbench::bench::waitlist
