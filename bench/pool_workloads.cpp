// The workloads where waiting dominates (spec.hpp), u64 payload only: tasksM, fanoutK and channelsK, coroutines
// on one rt::ThreadPool of Machine::pool_threads() workers, async only; churnN, one thread and its
// run loop, whose churner uses timed waits (sync) or cancelled coroutines (async).

#include <cstdint>

#include "channels_rig.hpp"
#include "churn_rig.hpp"
#include "families.hpp"
#include "fanout_rig.hpp"
#include "registration.hpp"
#include "tasks_rig.hpp"
#include "wakerbench/registry.hpp"

namespace wakerbench::bench {
namespace {

using Item = std::uint64_t;
inline constexpr bool kCoroutineWaiters = true;

// Point by point, every implementation within each (EveryImpl: rows, baselines, peers).
template <class... Impls>
struct RegisterAll {
    static void run(std::size_t pool) {
        for (std::size_t m : kTaskCounts)
            for (std::size_t capacity : kTaskCapacities)
                for (std::size_t batch : kTaskBatches)
                    (register_point<TasksRig, Impls, Item, Mode::async, kCoroutineWaiters>({Family::tasks, m}, capacity, batch, pool), ...);
        for (std::size_t k : kFanoutReceivers)
            (register_point<FanoutRig, Impls, Item, Mode::async, kCoroutineWaiters>({Family::fanout, k}, 0, 1, pool), ...);
        for (std::size_t k : kChannelCounts)
            (register_point<ChannelsRig, Impls, Item, Mode::async, kCoroutineWaiters>({Family::channels, k}, 0, 1, pool), ...);
        for (std::size_t n : kChurnWaiters) {
            (register_point<ChurnRig, Impls, Item, Mode::sync, kCoroutineWaiters>({Family::churn, n}, 0, 1, pool), ...);
            (register_point<ChurnRig, Impls, Item, Mode::async, kCoroutineWaiters>({Family::churn, n}, 0, 1, pool), ...);
        }
    }
};

}  // namespace

void register_pool_workloads(const Machine& machine) { EveryImpl<RegisterAll>::run(machine.pool_threads()); }

}  // namespace wakerbench::bench
