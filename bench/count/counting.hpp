#pragma once
// wb_bench --count: exact counts instead of time (bench/count/README.md). Under
// `valgrind --tool=callgrind --collect-atstart=no`, every point of the families that run on one
// thread is registered to run once, in a fresh child of the zygote (zygote.hpp), its measured loop
// inside a CountedRegion (counted_region.hpp); the points that need other threads are not
// registered at all: callgrind runs one thread at a time, so a counted multi-threaded point would
// be another program than the timed one.
//
// Counted: the wait-list microbenchmarks (every operation, every N), churnN, seq, the bursts and
// the tracer's overhead. bench/count/collect.py turns the dumps into instructions, cache misses
// and mispredicted branches per operation or per message.

#include <benchmark/benchmark.h>

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <utility>

#include "counted_region.hpp"
#include "progress.hpp"
#include "spec.hpp"
#include "zygote.hpp"

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

// Runs `loop`, the measured loop of a counted point, inside a counted region dumped as `name`.
template <class Loop>
void count_region(const std::string& name, Loop&& loop) {
    CountedRegion region(name);
    loop();
    region.close();
}

// Registers the counted benchmark `name`. `work` sets the point up and runs its measured loop
// through count_region(name, ...), performing `units` operations or delivering `units` messages;
// it runs in a fresh child of the zygote (zygote.hpp), once. The benchmark itself, in the parent,
// reports how many units that was and the child's pid, by which collect.py finds its dump.
inline benchmark::internal::Benchmark* register_counted(const std::string& name, CountUnit unit, std::uint64_t units,
                                                        std::function<void()> work) {
    counted_work().push_back(std::move(work));
    const std::size_t index = counted_work().size() - 1;
    auto* b = benchmark::RegisterBenchmark(name.c_str(), [name, unit, units, index](benchmark::State& state) {
        CountedChild child;
        for (auto _ : state) child = Zygote::instance().run(index);
        if (!child.ok()) {
            state.SkipWithError(("error: counting " + name + " failed: " + child.why_not()).c_str());
            return;
        }
        state.counters[unit == CountUnit::op ? "ops_counted" : "msgs_counted"] = double(units);
        state.counters["count_pid"] = double(child.pid);
    });
    return with_progress(b)->Iterations(1);
}

// Registers `name` as a point this row cannot run, with its reason ("n/a: ..."), as the timed run does.
inline benchmark::internal::Benchmark* register_counted_na(const std::string& name, const std::string& reason) {
    auto* b = benchmark::RegisterBenchmark(name.c_str(), [reason](benchmark::State& state) { state.SkipWithError(reason.c_str()); });
    return with_progress(b)->Iterations(1);
}

// The counted work of a channel point: the rig that counts it (the timed rig's `counted_rig`:
// InlineRig for seq, ChurnRig itself), built and warmed up, runs kCountedRounds rounds in the region.
template <class CountedRig>
void register_counted_point(const Spec& spec) {
    const std::string name = spec.name();
    register_counted(name, CountUnit::msg, kCountedRounds * spec.round_messages(), [spec, name] {
        CountedRig rig(spec);
        count_region(name, [&rig] {
            for (std::size_t r = 0; r < kCountedRounds; ++r) rig.round();
        });
    });
}

}  // namespace wakerbench::bench
