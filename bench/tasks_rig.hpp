#pragma once
// TasksRig<Impl, T, Mode::async>: tasksM. M sending and M receiving coroutines on one rt::ThreadPool share a
// channel; each round every sender sends its share and every receiver takes its share. Parties are
// the same coroutine as the thread workloads' (party.hpp) with the async ends, so a party that must
// wait suspends and frees its worker for another task: with M in the hundreds on a few workers,
// most parties are suspended in a wait list at any moment, and a wait costs a suspension and a
// re-schedule rather than an OS sleep. Rounds are paced by PoolRounds (pool_rounds.hpp).

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "marks.hpp"
#include "party.hpp"
#include "pool_rig.hpp"
#include "spec.hpp"
#include "wakerbench/channel/handles.hpp"
#include "wakerbench/runtime/spawn.hpp"
#include "wakerbench/runtime/thread_pool.hpp"

namespace wakerbench::bench {

template <class Impl, class T, Mode M>
class TasksRig : public PoolRig<Impl, T, M> {
    using Base = PoolRig<Impl, T, M>;
    using typename Base::Channel;

public:
    explicit TasksRig(const Spec& spec) : Base(spec, 2 * spec.workload.width), tallies_(2 * spec.workload.width) {
        auto [tx, rx] = make_channel<Impl, T>(spec.channel_capacity());
        this->observe(tx);
        const std::size_t m = spec.workload.width, share = spec.round_messages() / m;
        tasks_.reserve(2 * m);
        roles_.reserve(2 * m);  // the parties hold references to their roles: no reallocation
        for (std::size_t i = 0; i < 2 * m; ++i) {
            const bool sender = i < m;
            roles_.push_back({.cycles = 1, .sends = sender ? share : 0, .receives = sender ? 0 : share, .echo = false,
                              .first_key = std::uint64_t(i) << 48});
            tasks_.push_back(rt::spawn(this->pool_, party<T>(this->rounds_, i, Ends<Channel, Mode::async>(tx, rx), roles_[i], spec.batch,
                                                            this->name_, tallies_[i])));
        }
        this->warm_up();
    }

    ~TasksRig() {
        this->rounds_.stop();
        for (auto& t : tasks_) t.get();  // a party that threw has already failed the run: rethrow
        check_exactly_once(this->name_, tallies_);
    }

private:
    std::vector<Tally> tallies_;
    std::vector<Role> roles_;
    std::vector<rt::JoinHandle<void>> tasks_;
};

}  // namespace wakerbench::bench
