#pragma once
// Rig<Impl, T, M>: everything one benchmark run needs for a Spec: the channel(s), the crew and each
// party's role; warm-up rounds; and the marks that turn measured rounds into per-message figures.
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
#include "party.hpp"
#include "spec.hpp"
#include "wakerbench/channel/channel_base.hpp"
#include "wakerbench/channel/handles.hpp"

namespace wakerbench::bench {

// Rounds run (and thrown away) before the first mark: one round of the same work is enough for
// every wait list, queue and allocator cache to reach its high-water mark for the workload.
inline constexpr std::size_t kWarmupRounds = 1;

struct Marks {
    alloc::AllocCounts allocs;
    WaitStats waits;
    std::uint64_t context_switches = 0;
};

// Figures per delivered message between two marks.
struct PerMessage {
    double messages = 0;
    double allocs = 0, bytes = 0;
    double waits = 0, wakes = 0, spurious = 0;
    double context_switches = 0;
};

inline PerMessage per_message(const Marks& a, const Marks& b, double messages) {
    const auto per = [messages](std::uint64_t later, std::uint64_t earlier) { return double(later - earlier) / messages; };
    return PerMessage{
        .messages = messages,
        .allocs = per(b.allocs.allocs, a.allocs.allocs),
        .bytes = per(b.allocs.bytes, a.allocs.bytes),
        .waits = per(b.waits.waits, a.waits.waits),
        .wakes = per(b.waits.wakes, a.waits.wakes),
        .spurious = per(b.waits.spurious, a.waits.spurious),
        .context_switches = per(b.context_switches, a.context_switches),
    };
}

template <class Impl, class T, Mode M>
class Rig {
    using Channel = typename Impl::template channel<T>;
    using Tx = Sender<Channel>;
    using Rx = Receiver<Channel>;

public:
    explicit Rig(const Spec& spec) : spec_(spec), name_(spec.name()) {
        auto [tx, rx] = make_channel<Impl, T>(spec.channel_capacity());
        ends_.push_back({tx, rx});
        if (spec.workload == Workload::ping_pong) {
            auto [tx2, rx2] = make_channel<Impl, T>(spec.channel_capacity());
            ends_.push_back({tx2, rx2});
        }
        plan();
        tallies_.resize(roles_.size());
        crew_.emplace(roles_.size());
        crew_->start([this](std::size_t i) {
            const Tx& out = ends_[wiring_[i].out].first;
            const Rx& in = ends_[wiring_[i].in].second;
            return party<T>(*crew_, i, Ends<Channel, M>{out, in}, roles_[i], spec_.batch, name_, tallies_[i]);
        });
        for (std::size_t r = 0; r < kWarmupRounds; ++r) crew_->run_round();
    }
    Rig(const Rig&) = delete;
    Rig& operator=(const Rig&) = delete;

    // Stops the crew and checks that every item sent was received exactly once (keys sum and count).
    ~Rig() {
        crew_.reset();
        Tally all;
        for (const Tally& t : tallies_) {
            all.sent += t.sent;
            all.sent_keys += t.sent_keys;
            all.received += t.received;
            all.received_keys += t.received_keys;
        }
        if (all.sent != all.received || all.sent_keys != all.received_keys)
            fail_run(name_, "items sent and received differ: an item was lost or delivered twice");
    }

    double round() { return crew_->run_round(); }
    [[nodiscard]] std::size_t round_messages() const noexcept { return spec_.round_messages(); }
    // ping_pong: round trips per round.
    [[nodiscard]] std::size_t round_trips() const noexcept { return pings_; }

    [[nodiscard]] Marks marks() {
        Marks m{.allocs = alloc::alloc_totals(), .waits = {}, .context_switches = crew_->context_switches()};
        for (auto& [tx, rx] : ends_) {
            const WaitStats s = tx.channel().stats();
            m.waits.waits += s.waits;
            m.waits.wakes += s.wakes;
            m.waits.spurious += s.spurious;
        }
        return m;
    }

private:
    struct Wiring {
        std::size_t out = 0, in = 0;  // indexes into ends_: the channel a party sends on and receives from
    };

    // Turns the spec into roles. Each producer's keys start in its own range, so no two items share one.
    void plan() {
        const std::size_t n = spec_.round_messages(), b = spec_.batch;
        const Shape shape = shape_of(spec_.workload);
        auto keys = [](std::size_t party) { return std::uint64_t(party) << 48; };
        switch (spec_.workload) {
            case Workload::seq: {
                const std::size_t k = spec_.seq_chunk();
                roles_.push_back({.cycles = n / k, .sends = k, .receives = k, .echo = false, .first_key = keys(0)});
                wiring_.push_back({});
                break;
            }
            case Workload::ping_pong: {
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
