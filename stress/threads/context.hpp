#pragma once
// What the parties of one run share: the plan, the ledger, the early-close triggers, and a status
// per party that the watchdog prints when the run stops moving.

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "ledger.hpp"
#include "plan.hpp"

namespace wakerbench::stress {

enum class Phase : std::uint8_t { starting, working, sending, receiving, finished, cancelled };
inline const char* name(Phase p) noexcept {
    switch (p) {
        case Phase::starting: return "not started";
        case Phase::working: return "between operations";
        case Phase::sending: return "in a send";
        case Phase::receiving: return "in a receive";
        case Phase::finished: return "finished";
        case Phase::cancelled: return "cancelled";
    }
    return "?";
}

// relaxed throughout: the watchdog reads these for a report, and the checks read them only after
// every thread has been joined.
struct PartyStatus {
    std::atomic<Phase> phase{Phase::starting};
    std::atomic<std::uint64_t> items{0};  // created (producers) or received (consumers)
    // Producers: the item ids [first, last) of the operation in progress; a cancelled producer's
    // range is where its items may legitimately vanish.
    std::atomic<std::uint32_t> in_flight_first{0}, in_flight_last{0};
    std::atomic<bool> cancelled{false};

    void set(Phase p) noexcept { phase.store(p, std::memory_order_relaxed); }
};

struct RunContext {
    RunContext(const Plan& p, Ledger& l) : plan(p), ledger(l), producers(p.producers.size()), consumers(p.consumers.size()) {
        consumers_live.store(p.consumers.size(), std::memory_order_relaxed);
    }

    const Plan& plan;
    Ledger& ledger;
    std::vector<PartyStatus> producers, consumers;
    std::atomic<std::uint64_t> created_total{0}, delivered_total{0};  // relaxed: triggers, not ordering
    std::atomic<std::size_t> consumers_live{0};
    std::atomic<std::size_t> parties_finished{0};

    [[nodiscard]] bool senders_should_leave() const noexcept {
        return plan.close == Close::senders_early && created_total.load(std::memory_order_relaxed) >= plan.close_after;
    }
    [[nodiscard]] bool receivers_should_leave() const noexcept {
        return plan.close == Close::receivers_early && delivered_total.load(std::memory_order_relaxed) >= plan.close_after;
    }
    [[nodiscard]] std::size_t parties() const noexcept { return producers.size() + consumers.size(); }
};

// Marks a party's end however it comes: a return, or the destruction of a cancelled task's frame.
// Coroutine parties take it as a parameter, because parameters are destroyed with the frame even
// if the task is cancelled before its body ever ran.
class PartyExit {
public:
    PartyExit(RunContext& ctx, bool consumer, std::size_t index) noexcept : ctx_(&ctx), consumer_(consumer), index_(index) {}
    PartyExit(PartyExit&& o) noexcept
        : ctx_(std::exchange(o.ctx_, nullptr)), consumer_(o.consumer_), index_(o.index_), completed_(o.completed_), saw_closed_(o.saw_closed_) {}
    PartyExit(const PartyExit&) = delete;
    PartyExit& operator=(const PartyExit&) = delete;
    ~PartyExit() {
        if (!ctx_) return;
        PartyStatus& st = consumer_ ? ctx_->consumers[index_] : ctx_->producers[index_];
        if (!completed_) st.cancelled.store(true, std::memory_order_relaxed);
        st.set(completed_ ? Phase::finished : Phase::cancelled);
        // The last receiver leaving before it saw the channel closed and drained is a receiver-side
        // close: from then on queued items may be destroyed and sends fail. acq_rel: the count's
        // usual last-one-out ordering (not needed by the checks, which run after joins).
        if (consumer_ && ctx_->consumers_live.fetch_sub(1, std::memory_order_acq_rel) == 1 && !saw_closed_)
            ctx_->ledger.receivers_left_early();
        ctx_->parties_finished.fetch_add(1, std::memory_order_release);  // release: the monitor's cue to join
    }

    void completed() noexcept { completed_ = true; }
    void saw_closed() noexcept { saw_closed_ = true; }

private:
    RunContext* ctx_;
    bool consumer_;
    std::size_t index_;
    bool completed_ = false;
    bool saw_closed_ = false;
};

}  // namespace wakerbench::stress
