#pragma once
// PoolRig<Impl, T, M>: what the rigs whose parties are tasks on one rt::ThreadPool share (tasks_rig.hpp,
// fanout_rig.hpp): the point, the pool, the rounds the parties keep (pool_rounds.hpp), and an
// observer of the channel, so the counters can be read without holding either side open. A rig
// spawns its parties in its constructor, observes the channel and calls warm_up(); its destructor
// stops the rounds and joins its parties, after which the pool is idle and is destroyed last.

#include <cstddef>
#include <optional>
#include <string>

#include "marks.hpp"
#include "pool_rounds.hpp"
#include "spec.hpp"
#include "wakerbench/channel/handles.hpp"
#include "wakerbench/runtime/thread_pool.hpp"

namespace wakerbench::bench {

template <class Impl, class T, Mode M>
class PoolRig {
    static_assert(M == Mode::async, "a pool rig's parties are coroutines (mode:async only)");

public:
    using Channel = typename Impl::template channel<T>;

    PoolRig(const PoolRig&) = delete;
    PoolRig& operator=(const PoolRig&) = delete;

    double round() { return rounds_.run_round(); }
    [[nodiscard]] std::size_t round_messages() const noexcept { return spec_.round_messages(); }
    [[nodiscard]] Marks marks() { return process_marks(observer_->channel()); }

protected:
    PoolRig(const Spec& spec, std::size_t parties) : spec_(spec), name_(spec.name()), rounds_(parties), pool_(spec.pool_threads) {}
    ~PoolRig() = default;

    template <class Handle>
    void observe(const Handle& h) {
        observer_.emplace(h);
    }
    void warm_up() {
        for (std::size_t r = 0; r < kWarmupRounds; ++r) rounds_.run_round();
    }

    const Spec spec_;
    const std::string name_;
    PoolRounds rounds_;
    rt::ThreadPool pool_;

private:
    std::optional<ChannelObserver<Channel>> observer_;  // reads the stats; holds no side open
};

}  // namespace wakerbench::bench
