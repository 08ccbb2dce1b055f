#pragma once
// wb_bench --count: exact counts instead of time (bench/count/README.md). Under
// `valgrind --tool=callgrind --collect-atstart=no`, every point of the families that run on one
// thread is registered to run once, its measured loop inside a CountedRegion (counted_region.hpp),
// and the points that need other threads are not registered at all: callgrind runs one thread at a
// time, so a counted multi-threaded point would be another program than the timed one.
//
// Counted: the wait-list microbenchmarks (every operation, every N), churnN, seq, the bursts and
// the tracer's overhead. bench/count/collect.py turns the dumps into instructions, cache misses
// and mispredicted branches per operation or per message.

#include <benchmark/benchmark.h>

#include <cstddef>
#include <cstdint>
#include <string>

#include "counted_region.hpp"
#include "spec.hpp"

namespace wakerbench::bench {

// Set once by main() before any benchmark is registered; read by every registration.
inline bool& counting() noexcept {
    static bool on = false;
    return on;
}

// The channel families counted: those whose point runs on one thread. seq is one party that never
// waits (counted inline: inline_rig.hpp); churnN runs its churner and listeners on one run loop.
// Every other family's parties wait on each other across threads.
constexpr bool countable(Family f) noexcept { return f == Family::seq || f == Family::churn; }

// Rounds of a channel point inside its counted region, after the rig's own warm-up. One is enough:
// a round is already thousands of messages (seq 16384, churn 256 with 2048 withdrawn waits), and
// counts do not need repetitions to be exact (bench/count/README.md).
inline constexpr std::size_t kCountedRounds = 1;

// What a counted point's figures are per: an operation of a microbenchmark (a wait-list operation,
// a malloc + free pair) or a delivered message (a channel point, a burst). The collector names the
// figures after it (instr_per_op, instr_per_msg).
enum class CountUnit { op, msg };

// The one iteration of a counted benchmark (registered with Iterations(1)): runs `work`, which
// performs `units` operations or delivers `units` messages, inside a counted region dumped as
// `name`, and records how many units that was for the collector.
template <class Work>
void count_once(benchmark::State& state, const std::string& name, CountUnit unit, std::uint64_t units, Work&& work) {
    for (auto _ : state) {
        CountedRegion region(name);
        work();
        region.close();
    }
    state.counters[unit == CountUnit::op ? "ops_counted" : "msgs_counted"] = double(units);
}

// Registers `b` the way every counted benchmark runs: once, so that one dump is one measured loop.
inline benchmark::internal::Benchmark* counted(benchmark::internal::Benchmark* b) { return b->Iterations(1); }

// The counted body of a channel point: the rig that counts it (a rig's `counted_rig`: InlineRig for
// seq, ChurnRig itself), built and warmed up, runs kCountedRounds rounds inside one region.
template <class CountedRig>
void count_point(benchmark::State& state, const Spec& spec) {
    CountedRig rig(spec);
    count_once(state, spec.name(), CountUnit::msg, kCountedRounds * rig.round_messages(), [&rig] {
        for (std::size_t r = 0; r < kCountedRounds; ++r) rig.round();
    });
}

}  // namespace wakerbench::bench
