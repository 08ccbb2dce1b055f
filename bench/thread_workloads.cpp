// The thread-per-party workloads over the whole matrix (workload x implementation x capacity x
// batch x payload x mode), then one burst per implementation.

#include <cstdint>
#include <string>

#include "burst.hpp"
#include "families.hpp"
#include "inline_rig.hpp"
#include "progress.hpp"
#include "registration.hpp"
#include "rig.hpp"
#include "wakerbench/registry.hpp"

namespace wakerbench::bench {
namespace {

template <class Impl>
void register_matrix(Workload w) {
    for (std::size_t capacity : kCapacities)
        for (std::size_t batch : kBatches) {
            register_point<Rig, Impl, std::uint64_t, Mode::sync>(w, capacity, batch);
            register_point<Rig, Impl, std::uint64_t, Mode::async>(w, capacity, batch);
            register_point<Rig, Impl, Blob64, Mode::sync>(w, capacity, batch);
            register_point<Rig, Impl, Blob64, Mode::async>(w, capacity, batch);
            register_point<Rig, Impl, std::string, Mode::sync>(w, capacity, batch);
            register_point<Rig, Impl, std::string, Mode::async>(w, capacity, batch);
        }
}

template <class Impl>
void register_burst() {
    const std::string name = burst_name(Impl::info.name);
    if constexpr (Impl::info.async_api) {
        if (counting()) register_counted_burst<Impl>();
        else with_progress(benchmark::RegisterBenchmark(name.c_str(), burst<Impl>))->Iterations(1);
    } else {
        const std::string why = "n/a: " + std::string(Impl::info.name) + " has no async API to park 1000 coroutines, and keeps no wait list of ours";
        if (counting()) register_counted_na(name, why);
        else with_progress(benchmark::RegisterBenchmark(name.c_str(), [why](benchmark::State& state) { state.SkipWithError(why.c_str()); }));
    }
}

// Workload by workload, every implementation of the list within each; then their bursts.
template <class... Impls>
struct RegisterAll {
    static void run(const Machine& machine) {
        for (const Workload& w : thread_workloads(machine)) (register_matrix<Impls>(w), ...);
        (register_burst<Impls>(), ...);
    }
};

}  // namespace

void register_thread_workloads(const Machine& machine) { EveryImpl<RegisterAll>::run(machine); }

}  // namespace wakerbench::bench
