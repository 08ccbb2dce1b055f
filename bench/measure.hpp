#pragma once
// The body of every channel benchmark: build the point's rig, time measured rounds with manual
// time, and report the per-message counters. Counters are plain values (no Google Benchmark rate
// flags), so what lands in the JSON is exactly what is computed here.
//
// A rig (rig.hpp, tasks_rig.hpp, fanout_rig.hpp, churn_rig.hpp) is built from a Spec, has run its
// warm-up rounds when its constructor returns, and offers round() -> wall seconds,
// round_messages() and marks() (read between rounds, at a quiescent point); ping_pong's also
// round_trips().

#include <benchmark/benchmark.h>

#include <string>

#include "marks.hpp"
#include "spec.hpp"
#include "wakerbench/impl_info.hpp"

namespace wakerbench::bench {

template <class Rig>
void measure(benchmark::State& state, const Spec& spec, const ImplInfo& info) {
    Rig rig(spec);
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
    c["ns_per_msg"] = seconds * 1e9 / messages;  // what published channel figures quote
    c["round_messages"] = double(rig.round_messages());
    c["allocs_per_msg"] = pm.allocs;
    c["bytes_per_msg"] = pm.bytes;
    c["ctx_switches_per_msg"] = pm.context_switches;
    if (info.wait_stats) {
        c["waits_per_msg"] = pm.waits;
        c["wakes_per_msg"] = pm.wakes;
        c["spurious_wakes_per_msg"] = pm.spurious;
        // Measured time per wait: where parties wait on every message, what one wait costs all told
        // (link, sleep or suspension, wake, re-poll), amortised over everything else the round did.
        if (pm.waits > 0) c["ns_per_wait"] = seconds * 1e9 / (pm.waits * messages);
    } else {
        state.SetLabel("waits/wakes n/a: " + std::string(info.name) + " waits inside its own semaphore, which counts nothing");
    }
    if constexpr (requires { rig.round_trips(); }) {  // ping_pong: one round trip = `batch` items out and back
        if (spec.workload.family == Family::ping_pong)
            c["round_trip_ns"] = seconds * 1e9 / (double(state.iterations()) * double(rig.round_trips()));
    }
    if (on_pool(spec.workload.family)) c["pool_threads"] = double(spec.pool_threads);
    if (spec.workload.family == Family::churn) {
        const double cancellations = pm.cancellations * messages;
        c["cancels_per_msg"] = pm.cancellations;
        c["cancels_per_s"] = cancellations / seconds;
        // The churner's own cycles only (link, give up, withdraw), not the sends between them.
        if (cancellations > 0) c["ns_per_cancel"] = pm.withdrawing_ns * messages / cancellations;
    }
}

}  // namespace wakerbench::bench
