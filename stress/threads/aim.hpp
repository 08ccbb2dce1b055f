#pragma once
// Plans aimed at a seeded fault (wb_stress --fault): the random plan, with the few choices that
// decide whether the fault can show at all fixed to the ones that make it show often. A seeded
// check must not depend on luck (issue 19): a lost wake-up needs both sides blocking, a
// cancellation that swallows a wake-up needs tasks cancelled while others wait, a reused slab key
// needs cancellations among several waiters, a wake round needs more waiters than a batch holds.
// The aim is drawn from the same seed, after the plan, so a replay line still replays the run.

#include <cstddef>

#include "plan.hpp"
#include "wakerbench/sync/faults.hpp"

namespace wakerbench::stress {

namespace aim_detail {

// Everyone on one side blocks on single items: each operation waits, links and is woken.
inline void all_blocking(std::vector<PartyPlan>& side) {
    for (PartyPlan& p : side) p = PartyPlan{Api::blocking, 1, 0, std::nullopt};
}

enum class Cancel { none, most };

// At least `n` async parties on this side taking single items; with Cancel::most, all but the
// first are cancelled while the run is busy (the first stays, so someone is left to be stranded by
// a swallowed wake-up).
inline void task_parties(std::vector<PartyPlan>& side, std::size_t n, bool fixed, Cancel cancel, SeedRng& rng) {
    while (!fixed && side.size() < n) side.push_back({});
    for (std::size_t i = 0; i < side.size(); ++i) {
        PartyPlan& p = side[i];
        p.api = Api::async;
        p.batch = 1;
        p.cancel_at_us.reset();
        if (cancel == Cancel::most && i != 0) p.cancel_at_us = static_cast<std::uint32_t>(rng.between(0, 3000));
    }
}

}  // namespace aim_detail

// Party counts fixed by --threads are kept.
inline void aim_at(Fault fault, const PlanLimits& limits, Plan& plan, SeedRng& rng) {
    using namespace aim_detail;
    switch (fault) {
        case Fault::none: return;
        case Fault::link_without_recheck:
        case Fault::eventcount_weak_order:
            // Capacity 1, single items, one receiver that is a task: a task links as soon as it
            // finds nothing (a blocked thread first spins and mostly never links), so every item
            // races a link, in the window the fault opens. One receiver, because a second one
            // keeps the items moving past a lost wake-up and the final close wakes it: the run
            // must stop dead (the producers blocked on the full channel) for the watchdog to see
            // it in the lock-free rows, which have no wake-rule audit.
            plan.capacity = 1;
            all_blocking(plan.producers);
            if (!limits.consumers) plan.consumers.resize(1);
            task_parties(plan.consumers, 1, limits.consumers.has_value(), Cancel::none, rng);
            plan.close = Close::drain;
            return;
        case Fault::cancel_without_pass_on:
        case Fault::reused_key_out_of_turn:
        case Fault::drop_without_withdraw:
            // Several receivers waiting at capacity 1, most of them tasks cancelled mid-run.
            plan.capacity = 1;
            task_parties(plan.consumers, 3, limits.consumers.has_value(), Cancel::most, rng);
            plan.close = Close::drain;
            return;
        case Fault::wake_round_forgets_senders:
        case Fault::wake_all_ignores_mark:
            // More blocked senders than a wake batch, released at once by the receivers' close.
            plan.capacity = 1;
            while (!limits.producers && plan.producers.size() < 4) plan.producers.push_back({});
            all_blocking(plan.producers);
            plan.close = Close::receivers_early;
            return;
        case Fault::close_overtakes_data:
        case Fault::drained_reads_count_first:
            // Items still queued when the last sender leaves, several receivers racing to the end.
            while (!limits.consumers && plan.consumers.size() < 2) plan.consumers.push_back({});
            plan.items_per_producer = static_cast<std::uint32_t>(rng.between(1, 50));
            plan.close = Close::drain;
            return;
        case Fault::unlink_outside_lock: return;  // a data race: the tsan build's stress sees it anywhere
        case Fault::unpark_notifies_first:
        case Fault::timeout_overwrites_wake:
        case Fault::unpark_misreads_parked:
        case Fault::wake_while_running_dropped:
        case Fault::suspend_overwrites_wake:
        case Fault::frames_handed_over_relaxed: return;  // not armed here: parse_fault refuses them
    }
}

// The plan of a run: drawn from its seed, then aimed at the armed fault, if any.
inline Plan draw_plan(std::uint64_t seed, const PlanLimits& limits, Fault fault) {
    Plan plan = draw_plan(seed, limits);
    SeedRng rng(seed ^ 0x5eeded0a1a1ULL);  // its own stream: the plan's draws stay as they were
    aim_at(fault, limits, plan, rng);
    return plan;
}

}  // namespace wakerbench::stress
