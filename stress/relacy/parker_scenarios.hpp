#pragma once
// The parkers' own protocol, under the model checker: the library's BasicThreadParker and
// BasicDeadlineParker over RelacySync's modelled futex and clock (relacy_futex.hpp), with no
// channel around them. Every channel scenario parks through them too; these reach what a channel
// makes rare: a wake landing between a parker's check and its sleep, a deadline passing at each
// step of a timed park, a wake racing the timeout, a park after a timeout whose waker was taken.
//
// The waker travels through a Mailbox, the smallest wait list: one slot under a mutex. A waiter
// that times out withdraws from it, as block_on_until withdraws from a channel's wait list; if the
// waker was already taken, its wake is on the way and the waiter parks again, without a deadline,
// until it comes. What the waker wrote before waking (the payload, a plain variable written
// outside every lock) must then be visible: only the parker's release and acquire order it.

#include "scenarios.hpp"

namespace wakerbench::modelcheck {

class Mailbox {
public:
    void post(Waker w) {
        lock_.lock($);
        waker_ = std::move(w);
        settled_.notify_one($);
        lock_.unlock($);
    }
    // The posted waker, once one is posted or withdrawn; empty if withdrawn. Blocks meanwhile (a
    // condition variable, not a spin, so a lost wake-up is reported as the deadlock it is).
    Waker take() {
        lock_.lock($);
        while (!withdrawn_ && !waker_) settled_.wait(lock_, $);
        Waker w = std::move(waker_);
        lock_.unlock($);
        return w;
    }
    // The waiter gives up: true if its waker was still here (no wake is coming).
    bool withdraw() {
        lock_.lock($);
        const bool was_here = static_cast<bool>(waker_);
        waker_ = Waker();
        withdrawn_ = was_here;
        settled_.notify_one($);
        lock_.unlock($);
        return was_here;
    }

private:
    rl::mutex lock_;
    rl::condition_variable settled_;
    Waker waker_;
    bool withdrawn_ = false;
};

// Two rounds of park and wake on one parker (so the second arm() re-arms a used one). With a
// deadline parker, round 0 parks with a deadline the checker may let pass at any step, and round
// 1 parks without one.
template <class Parker, bool Timed>
struct ParkerHandoff : rl::test_suite<ParkerHandoff<Parker, Timed>, 2> {
    static constexpr int kRounds = 2;
    ScopedLot lot;
    std::array<Mailbox, kRounds> mailboxes;
    std::array<rl::var<int>, kRounds> payload;

    void before() {
        for (auto& p : payload) p($) = 0;
    }

    void thread(unsigned index) {
        if (index == 0) {
            Parker parker;
            for (int round = 0; round < kRounds; ++round) {
                mailboxes[round].post(parker.arm());
                if (park(parker, round)) RL_ASSERT(payload[round]($) == round + 1);  // ordered by the parker alone
            }
        } else {
            for (int round = 0; round < kRounds; ++round) {
                Waker w = mailboxes[round].take();
                if (!w) continue;  // the waiter timed out and withdrew
                payload[round]($) = round + 1;
                w.wake();
            }
        }
    }

    // True if the round's wake came (the payload is then written), false if it timed out cleanly.
    bool park(Parker& parker, int round) {
        if constexpr (Timed) {
            if (round == 0) {
                // Any finite deadline: the model clock reaches it when the checker says so.
                const auto deadline = std::chrono::steady_clock::time_point() + std::chrono::seconds(1);
                if (parker.park_until(deadline)) return true;
                if (mailboxes[round].withdraw()) return false;
                // Timed out, but the waker was taken first: its wake is imminent. Take it.
            }
        }
        parker.park();
        return true;
    }
};

using ThreadParkerHandoff = ParkerHandoff<RelacySync::parker, false>;
using DeadlineParkerHandoff = ParkerHandoff<RelacySync::deadline_parker, true>;

}  // namespace wakerbench::modelcheck
