#pragma once
// Registers the whole matrix with Google Benchmark: every workload x implementation x capacity x
// batch x payload x mode, plus one burst per implementation. A point an implementation cannot run
// is registered all the same and reports SkipWithError("n/a: <why>"), so the JSON lists it with its
// reason instead of leaving a silent hole.

#include <benchmark/benchmark.h>

#include <cstdint>
#include <optional>
#include <string>

#include "burst.hpp"
#include "measure.hpp"
#include "payload.hpp"
#include "spec.hpp"
#include "wakerbench/detail/die.hpp"

namespace wakerbench::bench {

template <class Impl, class T, Mode M>
void register_point(Workload w, std::size_t capacity, std::size_t batch) {
    const Spec spec{w, Impl::info.name, capacity, batch, Payload<T>::kKind, M};
    constexpr bool payload_ok = Impl::template supports_payload<T>;
    constexpr bool compiles = payload_ok && (M == Mode::sync ? Impl::info.sync_api : Impl::info.async_api);
    std::optional<std::string> skip = skip_reason(spec, Impl::info, payload_ok);
    benchmark::RegisterBenchmark(spec.name().c_str(), [spec, skip](benchmark::State& state) {
        if (skip) {
            state.SkipWithError(skip->c_str());
            return;
        }
        if constexpr (compiles) measure<Impl, T, M>(state, spec);
        else detail::die("wb_bench: skip_reason() let through a point its implementation cannot compile");
    })->UseManualTime();
}

template <class Impl>
void register_impl(Workload w) {
    for (std::size_t capacity : kCapacities)
        for (std::size_t batch : kBatches) {
            register_point<Impl, std::uint64_t, Mode::sync>(w, capacity, batch);
            register_point<Impl, std::uint64_t, Mode::async>(w, capacity, batch);
            register_point<Impl, Blob64, Mode::sync>(w, capacity, batch);
            register_point<Impl, Blob64, Mode::async>(w, capacity, batch);
            register_point<Impl, std::string, Mode::sync>(w, capacity, batch);
            register_point<Impl, std::string, Mode::async>(w, capacity, batch);
        }
}

template <class Impl>
void register_burst() {
    const std::string name = burst_name(Impl::info.name);
    if constexpr (Impl::info.async_api) {
        benchmark::RegisterBenchmark(name.c_str(), burst<Impl>)->Iterations(1);
    } else {
        benchmark::RegisterBenchmark(name.c_str(), [](benchmark::State& state) {
            state.SkipWithError(("n/a: " + std::string(Impl::info.name) + " has no async API to park 1000 coroutines, and keeps no wait list of ours").c_str());
        });
    }
}

// Registers everything for the implementations Impls..., workload by workload.
template <class... Impls>
struct RegisterAll {
    static void run() {
        for (Workload w : kWorkloads) (register_impl<Impls>(w), ...);
        (register_burst<Impls>(), ...);
    }
};

}  // namespace wakerbench::bench
