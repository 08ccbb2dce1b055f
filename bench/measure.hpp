#pragma once
// The body of every channel benchmark: build a Rig, time measured rounds with manual time, and
// report the per-message counters. Counters are plain values (no Google Benchmark rate flags), so
// what lands in the JSON is exactly what is computed here.

#include <benchmark/benchmark.h>

#include <string>

#include "rig.hpp"
#include "spec.hpp"

namespace wakerbench::bench {

template <class Impl, class T, Mode M>
void measure(benchmark::State& state, const Spec& spec) {
    Rig<Impl, T, M> rig(spec);
    const Marks before = rig.marks();
    double seconds = 0;
    for (auto _ : state) {
        const double s = rig.round();
        state.SetIterationTime(s);
        seconds += s;
    }
    const Marks after = rig.marks();

    const double messages = double(state.iterations()) * double(rig.round_messages());
    const PerMessage pm = per_message(before, after, messages);
    auto& c = state.counters;
    c["msgs_per_s"] = messages / seconds;
    c["round_messages"] = double(rig.round_messages());
    c["allocs_per_msg"] = pm.allocs;
    c["bytes_per_msg"] = pm.bytes;
    c["ctx_switches_per_msg"] = pm.context_switches;
    if constexpr (Impl::info.wait_stats) {
        c["waits_per_msg"] = pm.waits;
        c["wakes_per_msg"] = pm.wakes;
        c["spurious_wakes_per_msg"] = pm.spurious;
    } else {
        state.SetLabel("waits/wakes n/a: " + std::string(Impl::info.name) + " waits inside its own semaphore, which counts nothing");
    }
    if (spec.workload == Workload::ping_pong)
        c["round_trip_ns"] = seconds * 1e9 / (double(state.iterations()) * double(rig.round_trips()));
}

}  // namespace wakerbench::bench
