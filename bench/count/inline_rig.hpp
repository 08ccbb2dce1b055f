#pragma once
// InlineRig<Impl, T, M>: seq, run on the calling thread, for counting (wb_bench --count).
//
// seq is one party that sends a chunk and then receives it, so it never waits. The timed Rig
// (rig.hpp) runs that party on a thread of its own that meets the driving thread at a barrier
// every round; callgrind would count the barrier's spinning and wake-ups, which vary with the
// schedule, and would count them on another thread than the one whose region is open. Here the
// same party runs where the region is: in sync mode the same PlainParty, in async mode the same
// party coroutine on a RunLoop this thread runs, paced by PoolRounds. The role, the channel calls
// and the items are the timed point's (seq_role); only the barrier is gone.

#include <cstddef>
#include <optional>
#include <span>
#include <string>

#include "marks.hpp"
#include "party.hpp"
#include "plain_party.hpp"
#include "pool_rounds.hpp"
#include "rig.hpp"
#include "spec.hpp"
#include "wakerbench/channel/handles.hpp"
#include "wakerbench/runtime/run_loop.hpp"
#include "wakerbench/runtime/spawn.hpp"

namespace wakerbench::bench {

template <class Impl, class T, Mode M>
class InlineRig {
    using Channel = typename Impl::template channel<T>;

public:
    explicit InlineRig(const Spec& spec) : spec_(spec), name_(spec.name()), role_(seq_role(spec)) {
        if (spec.workload.family != Family::seq) fail_run(name_, "InlineRig runs seq only: every other workload has parties that wait on each other");
        auto [tx, rx] = make_channel<Impl, T>(spec.channel_capacity());
        tx_.emplace(std::move(tx));
        rx_.emplace(std::move(rx));
        if constexpr (M == Mode::sync) {
            plain_.emplace(&*tx_, &*rx_, spec.batch, name_, role_.first_key);
        } else {
            party_ = rt::spawn(loop_, party<T>(rounds_, 0, Ends<Channel, Mode::async>(*tx_, *rx_), role_, spec.batch, name_, tally_));
            loop_.run_until_idle();  // it waits for its first round
        }
        for (std::size_t r = 0; r < kWarmupRounds; ++r) round();
    }
    InlineRig(const InlineRig&) = delete;
    InlineRig& operator=(const InlineRig&) = delete;

    ~InlineRig() {
        if constexpr (M == Mode::async) {
            rounds_.stop();
            loop_.run_until_idle();
            party_->get();  // a party that threw has already failed the run: rethrow, terminate loudly
        }
        check_exactly_once(name_, std::span<const Tally>(&tally_, 1));
    }

    // One round; returns nothing worth timing (the counted run is not timed).
    void round() {
        if constexpr (M == Mode::sync) {
            plain_->run(role_, tally_);
        } else {
            rounds_.open_round();
            loop_.run_until_idle();
            if (!rounds_.round_ended()) fail_run(name_, "seq's party did not finish its round without waiting");
        }
    }
    [[nodiscard]] std::size_t round_messages() const noexcept { return spec_.round_messages(); }

private:
    Spec spec_;
    std::string name_;
    Role role_;
    Tally tally_;
    std::optional<Sender<Channel>> tx_;
    std::optional<Receiver<Channel>> rx_;
    std::optional<PlainParty<Channel>> plain_;  // sync
    PoolRounds rounds_{1};                      // async: the party's rounds, opened by round()
    rt::RunLoop loop_;                          // async: runs the party on this thread
    std::optional<rt::JoinHandle<void>> party_;
};

}  // namespace wakerbench::bench
