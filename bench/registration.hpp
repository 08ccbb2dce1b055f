#pragma once
// Registers points with Google Benchmark. A point an implementation cannot run is registered all
// the same and reports SkipWithError("n/a: <why>"), so the JSON lists it with its reason instead
// of leaving a silent hole.

#include <benchmark/benchmark.h>

#include <optional>
#include <string>

#include "controls.hpp"
#include "counting.hpp"
#include "measure.hpp"
#include "min_time.hpp"
#include "payload.hpp"
#include "progress.hpp"
#include "spec.hpp"
#include "wakerbench/detail/die.hpp"
#include "wakerbench/registry.hpp"

namespace wakerbench::bench {

// Counted (wb_bench --count, bench/count/counting.hpp) by the rig the timed rig names as its
// `counted_rig`; the rigs of the families counting.hpp calls countable all name one.
template <template <class, class, Mode> class RigFor, class Impl, class T, Mode M, bool kCompiles>
void register_counted_spec(const Spec& spec, const std::optional<std::string>& skip) {
    if (skip) {
        register_counted_na(spec.name(), *skip);
    } else if constexpr (kCompiles) {
        if constexpr (requires { typename RigFor<Impl, T, M>::counted_rig; }) register_counted_point<typename RigFor<Impl, T, M>::counted_rig>(spec);
        else detail::die(("wb_bench --count: " + spec.name() + " is of a countable family, but its rig names no counted_rig").c_str());
    }
}

// One benchmark: `spec`, measured with RigFor<Impl, T, M> (rig.hpp, tasks_rig.hpp, ...) when the row
// can run it; under wb_bench --count, counted instead where it runs on one thread.
template <template <class, class, Mode> class RigFor, class Impl, class T, Mode M, bool kCoroutineWaiters>
void register_spec(const Spec& spec) {
    constexpr bool payload_ok = Impl::template supports_payload<T>;
    constexpr bool compiles = payload_ok && (M == Mode::sync ? Impl::info.sync_api : Impl::info.async_api) &&
                              (!kCoroutineWaiters || Impl::info.async_api);
    std::optional<std::string> skip = skip_reason(spec, Impl::info, payload_ok);
    if (!skip && !compiles) detail::die("wb_bench: skip_reason() let through a point its implementation cannot compile");
    if (counting()) {
        // Counted: the points of one thread, each once; not the references or the A/A copies,
        // whose counts would be the point's own.
        if (countable(spec.workload.family) && !spec.plain_loop && spec.aa_copy == 0) register_counted_spec<RigFor, Impl, T, M, compiles>(spec, skip);
        return;
    }
    const std::string name = spec.name();
    auto* b = with_progress(benchmark::RegisterBenchmark(name.c_str(), [spec, skip](benchmark::State& state) {
        if (skip) {
            state.SkipWithError(skip->c_str());
            return;
        }
        if constexpr (compiles) measure<RigFor<Impl, T, M>>(state, spec, Impl::info);
    }));
    with_min_time(b, name)->UseManualTime();
}

// One point, and its A/A control copies if it is a control point (controls.hpp).
// kCoroutineWaiters: the rig parks some of its waiters as coroutines whatever the mode (the pool
// families), so it needs the row's async API in sync mode too.
// plain_loop: the point's reference (reference.hpp), named reference/<point>.
template <template <class, class, Mode> class RigFor, class Impl, class T, Mode M, bool kCoroutineWaiters = false>
void register_point(Workload w, std::size_t capacity, std::size_t batch, std::size_t pool_threads = 1, bool plain_loop = false) {
    Spec spec{w, Impl::info.name, capacity, batch, Payload<T>::kKind, M, pool_threads};
    spec.plain_loop = plain_loop;
    const bool control = is_control(spec);
    register_spec<RigFor, Impl, T, M, kCoroutineWaiters>(spec);
    for (spec.aa_copy = 1; control && spec.aa_copy <= kControlCopies; ++spec.aa_copy)
        register_spec<RigFor, Impl, T, M, kCoroutineWaiters>(spec);
}

// Register<every row, baseline and peer>::run(args...): one pack, so a family registers point by
// point with every implementation within each (neighbours in time compare best: this VM's speed
// drifts by tens of percent over minutes).
template <template <class...> class Register>
struct EveryImpl {
    template <class... Args>
    static void run(const Args&... args) { Benchmarked::apply<Register>::run(args...); }
};

}  // namespace wakerbench::bench
