#pragma once
// Rig<Impl, T, M>: everything one benchmark run of a thread-per-party workload (seq, spsc, mpscP,
// mpmcPxP, ping_pong) needs for a Spec: the channel(s), the crew and each party's role; warm-up
// rounds; and the marks that turn measured rounds into per-message figures.
//
// Measuring: marks() is taken on the driving thread between rounds, while every party waits at the
// barrier, so the allocation totals, the channels' wait counters and the context-switch sums it
// reads are exact for the rounds between two marks.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "alloc_tracer.hpp"
#include "crew.hpp"
#include "marks.hpp"
#include "party.hpp"
#include "plain_party.hpp"
#include "spec.hpp"
#include "wakerbench/channel/channel_base.hpp"
#include "wakerbench/channel/handles.hpp"
#include "wakerbench/runtime/run_loop.hpp"
#include "wakerbench/runtime/spawn.hpp"

namespace wakerbench::bench {

// seq's one party: it sends a chunk, then receives it, until the round is done.
inline Role seq_role(const Spec& spec) {
    const std::size_t k = spec.seq_chunk();
    return {.cycles = spec.round_messages() / k, .sends = k, .receives = k, .echo = false, .first_key = 0};
}

template <class Impl, class T, Mode M>
class InlineRig;  // bench/count/inline_rig.hpp

template <class Impl, class T, Mode M>
class Rig {
    using Channel = typename Impl::template channel<T>;
    using Tx = Sender<Channel>;
    using Rx = Receiver<Channel>;

public:
    // What counts seq (wb_bench --count, bench/count/counting.hpp): the same party on the calling
    // thread, without the crew. The other thread workloads are not counted.
    using counted_rig = InlineRig<Impl, T, M>;

    explicit Rig(const Spec& spec) : spec_(spec), name_(spec.name()) {
        auto [tx, rx] = make_channel<Impl, T>(spec.channel_capacity());
        ends_.push_back({tx, rx});
        if (spec.workload.family == Family::ping_pong) {
            auto [tx2, rx2] = make_channel<Impl, T>(spec.channel_capacity());
            ends_.push_back({tx2, rx2});
        }
        plan();
        tallies_.resize(roles_.size());
        crew_.emplace(roles_.size());
        crew_->start([this](std::size_t i) {
            Tx& out = ends_[wiring_[i].out].first;
            Rx& in = ends_[wiring_[i].in].second;
            if constexpr (M == Mode::sync) {  // plain loops of blocking calls (plain_party.hpp says why)
                PlainParty<Channel> me(&out, &in, spec_.batch, name_, roles_[i].first_key);
                while (crew_->begin_round(i)) {
                    me.run(roles_[i], tallies_[i]);
                    crew_->end_round(i);
                }
            } else {  // a coroutine on this thread's run loop, suspending while it waits
                rt::RunLoop loop;
                auto me = rt::spawn(loop, party<T>(*crew_, i, Ends<Channel, M>{out, in}, roles_[i], spec_.batch, name_, tallies_[i]));
                loop.run();
                me.get();  // a party that threw has already failed the run: rethrow, terminate loudly
            }
        });
        for (std::size_t r = 0; r < kWarmupRounds; ++r) crew_->run_round();
    }
    Rig(const Rig&) = delete;
    Rig& operator=(const Rig&) = delete;

    // Stops the crew and checks that every item sent was received exactly once (keys sum and count).
    ~Rig() {
        crew_.reset();
        check_exactly_once(name_, tallies_);
    }

    double round() { return crew_->run_round(); }
    [[nodiscard]] std::size_t round_messages() const noexcept { return spec_.round_messages(); }
    // ping_pong: round trips per round.
    [[nodiscard]] std::size_t round_trips() const noexcept { return pings_; }

    [[nodiscard]] Marks marks() {
        Marks m{.allocs = alloc::alloc_totals(), .waits = {}, .context_switches = crew_->context_switches()};
        for (auto& [tx, rx] : ends_) accumulate(m.waits, tx.channel().stats());
        return m;
    }

private:
    struct Wiring {
        std::size_t out = 0, in = 0;  // indexes into ends_: the channel a party sends on and receives from
    };

    // Turns the spec into roles. Each producer's keys start in its own range, so no two items share one.
    void plan() {
        const std::size_t n = round_messages(), b = spec_.batch;
        const Shape shape = shape_of(spec_.workload);
        auto keys = [](std::size_t party) { return std::uint64_t(party) << 48; };
        switch (spec_.workload.family) {
            case Family::seq:
                roles_.push_back(seq_role(spec_));
                wiring_.push_back({});
                break;
            case Family::ping_pong: {
                pings_ = n / (2 * b);  // each round trip carries b items out and b back
                roles_.push_back({.cycles = pings_, .sends = b, .receives = b, .echo = false, .first_key = keys(0)});
                roles_.push_back({.cycles = pings_, .sends = 0, .receives = b, .echo = true, .first_key = 0});
                wiring_.push_back({.out = 0, .in = 1});  // pinger: out on A, back on B
                wiring_.push_back({.out = 1, .in = 0});  // echo: in on A, out on B
                break;
            }
            default:
                for (std::size_t p = 0; p < shape.producers; ++p) {
                    roles_.push_back({.cycles = 1, .sends = n / shape.producers, .receives = 0, .echo = false, .first_key = keys(p)});
                    wiring_.push_back({});
                }
                for (std::size_t c = 0; c < shape.consumers; ++c) {
                    roles_.push_back({.cycles = 1, .sends = 0, .receives = n / shape.consumers, .echo = false, .first_key = 0});
                    wiring_.push_back({});
                }
        }
    }

    Spec spec_;
    std::string name_;
    std::vector<std::pair<Tx, Rx>> ends_;  // the driving thread's handles; parties hold their own
    std::vector<Role> roles_;
    std::vector<Wiring> wiring_;
    std::vector<Tally> tallies_;
    std::size_t pings_ = 0;
    std::optional<Crew> crew_;
};

}  // namespace wakerbench::bench
