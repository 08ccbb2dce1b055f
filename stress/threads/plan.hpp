#pragma once
// A run's plan: every random choice of one stress run, drawn from its seed before anything starts,
// so `--seed N` replays the same plan (the interleaving is the scheduler's; --repeat retries it).
// Randomness comes from splitmix64 rather than <random>'s distributions, whose results differ
// between standard libraries: a seed printed on one machine means the same plan on another.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

namespace wakerbench::stress {

class SeedRng {
public:
    explicit SeedRng(std::uint64_t seed) noexcept : state_(seed) {}
    std::uint64_t next() noexcept {  // splitmix64 (Steele, Lea, Flood 2014)
        std::uint64_t z = (state_ += 0x9e3779b97f4a7c15ULL);
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
        z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
        return z ^ (z >> 31);
    }
    // Uniform in [lo, hi] (the modulo bias is below 2^-40 for these ranges).
    std::uint64_t between(std::uint64_t lo, std::uint64_t hi) noexcept { return lo + next() % (hi - lo + 1); }
    bool chance(unsigned percent) noexcept { return between(1, 100) <= percent; }

private:
    std::uint64_t state_;
};

// How a party talks to the channel.
enum class Api {
    blocking,  // send / send_batch / recv / recv_batch on a thread
    deadline,  // send_for / recv_for with a short timeout, retried: timed waits that give up
    polling,   // try_send / try_recv / try_recv_batch, yielding when they fail
    async,     // co_await on an AsyncSender / AsyncReceiver, in a task on an executor
};
inline const char* name(Api a) noexcept {
    switch (a) {
        case Api::blocking: return "blocking";
        case Api::deadline: return "deadline";
        case Api::polling: return "polling";
        case Api::async: return "async";
    }
    return "?";
}

struct PartyPlan {
    Api api = Api::blocking;
    std::size_t batch = 1;            // items per operation at most (1: the single-item calls)
    std::uint32_t timeout_us = 0;     // deadline: the timeout of each wait
    std::optional<std::uint32_t> cancel_at_us;  // async: the monitor destroys the task then
};

// What ends the run early, on top of cancellations.
enum class Close {
    drain,            // producers send everything and leave; receivers drain to closed
    senders_early,    // all senders drop once `close_after` items exist, mid-flight
    receivers_early,  // all receivers drop once `close_after` items were received, mid-flight
};
inline const char* name(Close c) noexcept {
    switch (c) {
        case Close::drain: return "drain";
        case Close::senders_early: return "senders_early";
        case Close::receivers_early: return "receivers_early";
    }
    return "?";
}

enum class Executor { run_loops, thread_pool };

struct Plan {
    std::uint64_t seed = 0;
    std::size_t capacity = 0;  // 0: unbounded
    std::uint32_t items_per_producer = 0;
    Close close = Close::drain;
    std::uint64_t close_after = 0;
    Executor executor = Executor::run_loops;
    std::size_t run_loops = 1;  // run_loops: how many threads, async parties dealt round-robin
    std::vector<PartyPlan> producers, consumers;

    [[nodiscard]] bool any_async() const noexcept {
        for (const auto* side : {&producers, &consumers})
            for (const PartyPlan& p : *side)
                if (p.api == Api::async) return true;
        return false;
    }
};

// Producer and consumer counts: fixed by --threads, or drawn.
struct PlanLimits {
    std::optional<std::size_t> producers, consumers;
};

inline PartyPlan draw_party(SeedRng& rng) {
    PartyPlan p;
    p.api = static_cast<Api>(rng.between(0, 3));
    // A third of the parties use the single-item calls; the rest batch up to 64.
    p.batch = rng.chance(33) ? 1 : static_cast<std::size_t>(rng.between(2, 64));
    if (p.api == Api::deadline) p.timeout_us = static_cast<std::uint32_t>(rng.between(0, 500));
    // Half the tasks are cancelled, mostly while the run is busy (a run lasts about 10-30 ms).
    if (p.api == Api::async && rng.chance(50)) p.cancel_at_us = static_cast<std::uint32_t>(rng.between(0, 8000));
    return p;
}

inline Plan draw_plan(std::uint64_t seed, const PlanLimits& limits) {
    SeedRng rng(seed);
    Plan plan;
    plan.seed = seed;
    static constexpr std::size_t kCapacities[] = {1, 2, 7, 1024, 0};
    plan.capacity = kCapacities[rng.between(0, 4)];
    const std::size_t producers = limits.producers.value_or(rng.between(1, 4));
    const std::size_t consumers = limits.consumers.value_or(rng.between(1, 4));
    plan.items_per_producer = static_cast<std::uint32_t>(rng.between(1, 3000));
    for (std::size_t i = 0; i < producers; ++i) plan.producers.push_back(draw_party(rng));
    for (std::size_t i = 0; i < consumers; ++i) plan.consumers.push_back(draw_party(rng));
    const std::uint64_t total = std::uint64_t{plan.items_per_producer} * producers;
    const auto roll = rng.between(1, 100);
    plan.close = roll <= 60 ? Close::drain : roll <= 80 ? Close::senders_early : Close::receivers_early;
    plan.close_after = rng.between(0, total);
    plan.executor = rng.chance(30) ? Executor::thread_pool : Executor::run_loops;
    plan.run_loops = rng.between(1, 2);
    return plan;
}

inline std::string describe(const PartyPlan& p) {
    std::ostringstream out;
    out << name(p.api) << " batch " << p.batch;
    if (p.api == Api::deadline) out << " timeout " << p.timeout_us << "us";
    if (p.cancel_at_us) out << " cancelled at " << *p.cancel_at_us << "us";
    return out.str();
}

inline std::string describe(const Plan& plan) {
    std::ostringstream out;
    out << "capacity " << (plan.capacity ? std::to_string(plan.capacity) : std::string("unbounded")) << ", "
        << plan.producers.size() << " producers x " << plan.items_per_producer << " items, " << plan.consumers.size()
        << " consumers, close " << name(plan.close);
    if (plan.close != Close::drain) out << " after " << plan.close_after << " items";
    if (plan.any_async())
        out << ", async on " << (plan.executor == Executor::thread_pool ? std::string("a 2-thread pool")
                                                                        : std::to_string(plan.run_loops) + " run loop(s)");
    return out.str();
}

}  // namespace wakerbench::stress
