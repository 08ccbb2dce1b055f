#pragma once
// The body of every channel benchmark: build the point's rig, time measured rounds with manual
// time, and report the per-message counters. Counters are plain values (no Google Benchmark rate
// flags), so what lands in the JSON is exactly what is computed here.
//
// msgs_per_s and ns_per_msg are those of the repetition's median round; msgs_per_s_mean is all its
// messages over all its time. Why the median: on a shared 2-core VM a few rounds of a repetition
// now and then run at a fraction of the speed (the host takes the core away, a wake-up lands on a
// descheduled vCPU); the median round ignores them as nanobench's median epoch does, while the mean
// moves with each. Both are in the JSON; the report compares medians.
//
// A rig (rig.hpp, tasks_rig.hpp, fanout_rig.hpp, churn_rig.hpp) is built from a Spec, has run its
// warm-up rounds when its constructor returns, and offers round() -> wall seconds,
// round_messages() and marks() (read between rounds, at a quiescent point); ping_pong's also
// round_trips().

#include <benchmark/benchmark.h>

#include <algorithm>
#include <string>
#include <vector>

#include "marks.hpp"
#include "spec.hpp"
#include "wakerbench/impl_info.hpp"

namespace wakerbench::bench {

template <class Rig>
void measure(benchmark::State& state, const Spec& spec, const ImplInfo& info) {
    Rig rig(spec);
    std::vector<double> rounds;
    rounds.reserve(static_cast<std::size_t>(state.max_iterations));  // before the marks: no allocation counted in between
    const Marks before = rig.marks();
    double seconds = 0;
    for (auto _ : state) {
        const double s = rig.round();
        state.SetIterationTime(s);
        seconds += s;
        rounds.push_back(s);
    }
    const Marks after = rig.marks();

    const double messages = double(state.iterations()) * double(rig.round_messages());
    const PerMessage pm = per_message(before, after, messages);
    auto middle = rounds.begin() + static_cast<std::ptrdiff_t>(rounds.size() / 2);
    std::nth_element(rounds.begin(), middle, rounds.end());
    const double median_round = *middle;
    auto& c = state.counters;
    c["msgs_per_s"] = double(rig.round_messages()) / median_round;
    c["ns_per_msg"] = median_round * 1e9 / double(rig.round_messages());  // what published channel figures quote
    c["msgs_per_s_mean"] = messages / seconds;
    c["rounds"] = double(rounds.size());
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
        if (pm.waits > 0) c["ns_per_wait"] = c["ns_per_msg"] / pm.waits;
    } else {
        state.SetLabel("waits/wakes n/a: " + std::string(info.name) + " waits inside its own library, which counts nothing");
    }
    if constexpr (requires { rig.round_trips(); }) {  // ping_pong: one round trip = `batch` items out and back
        if (spec.workload.family == Family::ping_pong)
            c["round_trip_ns"] = median_round * 1e9 / double(rig.round_trips());
    }
    if (on_pool(spec.workload.family)) c["pool_threads"] = double(spec.pool_threads);
    if (spec.workload.family == Family::churn) {
        const double cancellations = pm.cancellations * messages;  // over the whole repetition
        c["cancels_per_msg"] = pm.cancellations;
        c["cancels_per_s"] = pm.cancellations * c["msgs_per_s"];
        // The churner's own cycles only (link, give up, withdraw), not the sends between them.
        if (cancellations > 0) c["ns_per_cancel"] = pm.withdrawing_ns * messages / cancellations;
    }
}

}  // namespace wakerbench::bench
