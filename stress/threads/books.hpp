#pragma once
// The bookkeeping every producer and consumer does, whichever API it uses (parties.hpp): making
// items and recording their fate in the ledger, drawing each operation's size from the party's
// own seeded stream, and publishing the party's status for the watchdog.

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "context.hpp"
#include "plan.hpp"

namespace wakerbench::stress {

// Each party draws its operation sizes from a stream of the run's seed, so a replay repeats them.
inline SeedRng party_rng(const Plan& plan, bool consumer, std::size_t index) {
    return SeedRng(plan.seed ^ (0x632be59bd9b4e019ULL * (2 * index + (consumer ? 2 : 1))));
}

// What both kinds of party keep: where they are in the run, and their own random stream.
class PartyBook {
public:
    [[nodiscard]] const PartyPlan& plan() const noexcept { return plan_; }

protected:
    PartyBook(RunContext& ctx, bool consumer, std::size_t index)
        : ctx_(ctx),
          plan_((consumer ? ctx.plan.consumers : ctx.plan.producers)[index]),
          status_((consumer ? ctx.consumers : ctx.producers)[index]),
          rng_(party_rng(ctx.plan, consumer, index)),
          index_(index) {}

    RunContext& ctx_;
    const PartyPlan& plan_;
    PartyStatus& status_;
    SeedRng rng_;
    std::size_t index_;
};

template <class T>
class ProducerBook : public PartyBook {
public:
    ProducerBook(RunContext& ctx, std::size_t index) : PartyBook(ctx, false, index) { items_.reserve(plan_.batch); }

    [[nodiscard]] bool more() const noexcept { return seq_ < ctx_.plan.items_per_producer && !ctx_.senders_should_leave(); }

    // Makes the next operation's items (1 to the party's batch size) and marks them in flight.
    std::vector<T>& create() {
        const std::uint32_t n = std::min<std::uint32_t>(static_cast<std::uint32_t>(rng_.between(1, plan_.batch)), ctx_.plan.items_per_producer - seq_);
        items_.clear();
        // relaxed: read by the watchdog's report and, after joins, by the checks.
        status_.in_flight_first.store(seq_, std::memory_order_relaxed);
        status_.in_flight_last.store(seq_ + n, std::memory_order_relaxed);
        for (std::uint32_t i = 0; i < n; ++i) items_.emplace_back(ctx_.ledger.id(index_, seq_ + i));
        seq_ += n;
        status_.items.store(seq_, std::memory_order_relaxed);
        ctx_.created_total.fetch_add(n, std::memory_order_relaxed);
        ctx_.ledger.created(n);
        status_.set(Phase::sending);
        return items_;
    }

    // The operation is over with items[0, sent) in the channel; the rest came back (closed) and
    // are recorded as returned. Returns whether to go on.
    bool finish(std::size_t sent) {
        status_.set(Phase::working);
        for (std::size_t i = sent; i < items_.size(); ++i) ctx_.ledger.returned(items_[i].consume());
        const bool all_sent = sent == items_.size();
        items_.clear();
        status_.in_flight_first.store(0, std::memory_order_relaxed);  // relaxed: as in create()
        status_.in_flight_last.store(0, std::memory_order_relaxed);
        return all_sent;
    }

private:
    std::uint32_t seq_ = 0;
    std::vector<T> items_;
};

template <class T>
class ConsumerBook : public PartyBook {
public:
    ConsumerBook(RunContext& ctx, std::size_t index) : PartyBook(ctx, true, index), last_seq_(ctx.plan.producers.size(), -1) {
        out_.reserve(plan_.batch);
    }

    [[nodiscard]] bool should_leave() const noexcept { return ctx_.receivers_should_leave(); }

    // The next operation's batch limit, and the buffer a batch receive fills (empty).
    std::size_t begin() {
        status_.set(Phase::receiving);
        out_.clear();
        return static_cast<std::size_t>(rng_.between(1, plan_.batch));
    }
    [[nodiscard]] std::vector<T>& out() noexcept { return out_; }

    void deliver(T& item) {
        ctx_.ledger.delivered(index_, last_seq_, item.consume());
        status_.items.fetch_add(1, std::memory_order_relaxed);       // relaxed: for the report
        ctx_.delivered_total.fetch_add(1, std::memory_order_relaxed);  // relaxed: a trigger
    }
    void deliver_out() {
        for (T& item : out_) deliver(item);
        out_.clear();
    }
    void end() { status_.set(Phase::working); }

private:
    std::vector<std::int64_t> last_seq_;  // per producer: the highest seq this consumer has seen
    std::vector<T> out_;
};

}  // namespace wakerbench::stress
