// reference/<point>: the thread workloads' sync u64 points measured by a plain loop (reference.hpp),
// next to the same points measured by the harness, so the report can show the harness's own cost.

#include <cstdint>

#include "families.hpp"
#include "reference.hpp"
#include "registration.hpp"
#include "wakerbench/registry.hpp"

namespace wakerbench::bench {
namespace {

inline constexpr bool kPlainLoop = true;

// Point by point, every implementation within each (EveryImpl: rows, baselines, peers).
template <class... Impls>
struct RegisterAll {
    static void run(const Machine& machine) {
        for (const Workload& w : thread_workloads(machine))
            for (std::size_t capacity : kCapacities)
                for (std::size_t batch : kBatches) {
                    const Spec probe{w, "", capacity, batch, PayloadKind::u64, Mode::sync};
                    if (has_reference(probe)) (register_point<ReferenceRig, Impls, std::uint64_t, Mode::sync>(w, capacity, batch, 1, kPlainLoop), ...);
                }
    }
};

}  // namespace

void register_references(const Machine& machine) { EveryImpl<RegisterAll>::run(machine); }

}  // namespace wakerbench::bench
