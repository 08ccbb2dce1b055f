#pragma once
// TasksRig<Impl, T, Mode::async>: tasksM. M sending and M receiving coroutines on one rt::ThreadPool share a
// channel; each round every sender sends its share and every receiver takes its share. Parties are
// the same coroutine as the thread workloads' (party.hpp) with the async ends, so a party that must
// wait suspends and frees its worker for another task: with M in the hundreds on a few workers,
// most parties are suspended in a wait list at any moment, and a wait costs a suspension and a
// re-schedule rather than an OS sleep. Rounds are paced by PoolRounds (pool_rounds.hpp).

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "marks.hpp"
#include "party.hpp"
#include "pool_rounds.hpp"
#include "spec.hpp"
#include "wakerbench/channel/handles.hpp"
#include "wakerbench/runtime/spawn.hpp"
#include "wakerbench/runtime/thread_pool.hpp"

namespace wakerbench::bench {

template <class Impl, class T, Mode M>
class TasksRig {
    static_assert(M == Mode::async, "TasksRig: its parties are coroutines (mode:async only)");
    using Channel = typename Impl::template channel<T>;

public:
    explicit TasksRig(const Spec& spec)
        : spec_(spec), name_(spec.name()), rounds_(2 * spec.workload.width), tallies_(2 * spec.workload.width),
          pool_(spec.pool_threads) {
        auto [tx, rx] = make_channel<Impl, T>(spec.channel_capacity());
        observer_.emplace(tx);
        const std::size_t m = spec.workload.width, share = spec.round_messages() / m;
        tasks_.reserve(2 * m);
        for (std::size_t i = 0; i < 2 * m; ++i) {
            const bool sender = i < m;
            const Role role{.cycles = 1, .sends = sender ? share : 0, .receives = sender ? 0 : share, .echo = false,
                            .first_key = std::uint64_t(i) << 48};
            tasks_.push_back(rt::spawn(pool_, party<T>(rounds_, i, Ends<Channel, Mode::async>(tx, rx), role, spec.batch, name_, tallies_[i])));
        }
        for (std::size_t r = 0; r < kWarmupRounds; ++r) rounds_.run_round();
    }
    TasksRig(const TasksRig&) = delete;
    TasksRig& operator=(const TasksRig&) = delete;

    ~TasksRig() {
        rounds_.stop();
        for (auto& t : tasks_) t.get();  // a party that threw has already failed the run: rethrow
        check_exactly_once(name_, tallies_);
    }

    double round() { return rounds_.run_round(); }
    [[nodiscard]] std::size_t round_messages() const noexcept { return spec_.round_messages(); }
    [[nodiscard]] Marks marks() { return process_marks(observer_->channel()); }

private:
    Spec spec_;
    std::string name_;
    PoolRounds rounds_;
    std::vector<Tally> tallies_;
    std::optional<ChannelObserver<Channel>> observer_;  // reads the stats; holds no side open
    rt::ThreadPool pool_;  // after what its tasks use: destroyed first, once they have finished
    std::vector<rt::JoinHandle<void>> tasks_;
};

}  // namespace wakerbench::bench
