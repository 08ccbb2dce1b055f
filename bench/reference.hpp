#pragma once
// ReferenceRig<Impl, T, M>: the same point as Rig, measured by the plainest loop that can measure
// it, so the report can show what the harness itself costs (`reference/<point name>`).
//
// Where Rig keeps one crew of parties and times rounds between two barrier crossings, a reference
// run is what anyone would write by hand: fresh threads (created before the clock starts), each a
// plain loop over blocking calls (plain_party.hpp). seq sends a chunk and receives it back; every
// other workload has its producers send their share and drop their Sender, and its consumers
// receive until the channel reports closed (nobody tells them how many to expect; a channel that
// cannot close, moodycamel_blocking, has them take their share). The clock runs from the first
// thread's release to the last one's finish, on the threads' own clocks.
//
// One run is one round of measure() (measure.hpp), sized in warm-up to last about kRunTarget, so a
// run's start and end are a small share of it. Marks are totals over the measured runs, each read
// inside the run (allocations and context switches between release and finish), so thread
// creation and exit are not counted. Thread workloads other than ping_pong, sync mode only: the
// harness's cost is the question, and those are the points it is asked about.

#include <algorithm>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <latch>
#include <string>
#include <thread>
#include <vector>

#include "alloc_tracer.hpp"
#include "pinning.hpp"
#include "marks.hpp"
#include "party.hpp"
#include "plain_party.hpp"
#include "spec.hpp"
#include "wakerbench/channel/handles.hpp"

namespace wakerbench::bench {

// The points a reference is registered for: sync, and a workload the plain loop knows.
constexpr bool has_reference(const Spec& spec) noexcept {
    const Family f = spec.workload.family;
    return spec.mode == Mode::sync && (f == Family::seq || f == Family::spsc || f == Family::mpsc || f == Family::mpmc);
}

template <class Impl, class T, Mode M>
class ReferenceRig {
    static_assert(M == Mode::sync, "a reference run is threads in plain loops: sync calls only");
    using Channel = typename Impl::template channel<T>;
    using Tx = Sender<Channel>;
    using Rx = Receiver<Channel>;
    using Clock = std::chrono::steady_clock;

    // A run long enough that releasing the threads and joining them (tens of microseconds on a
    // 2-core VM) stays well under 1% of it; short enough for a few runs per repetition.
    static constexpr double kRunTarget = 0.005;  // seconds
    static constexpr std::size_t kMaxScale = 1 << 16;

public:
    explicit ReferenceRig(const Spec& spec) : spec_(spec), name_("reference/" + spec.name()) {
        // Warm-up: one run at the harness's round size to learn the speed, one at the chosen size.
        messages_ = spec.round_messages();
        const double first = run();
        messages_ = spec.round_messages() * std::clamp<std::size_t>(std::size_t(kRunTarget / std::max(first, 1e-9)), 1, kMaxScale);
        run();
        totals_ = {};
    }
    ReferenceRig(const ReferenceRig&) = delete;
    ReferenceRig& operator=(const ReferenceRig&) = delete;

    double round() { return run(); }
    [[nodiscard]] std::size_t round_messages() const noexcept { return messages_; }
    [[nodiscard]] Marks marks() const noexcept { return totals_; }

private:
    // What one thread of a run saw, written by it and read by the driver after the join.
    struct alignas(64) Seen {
        Tally tally;
        Clock::time_point started, finished;
        std::uint64_t switches = 0;
    };

    // One run: a fresh channel and fresh threads; returns the seconds from release to last finish.
    double run() {
        const Shape shape = shape_of(spec_.workload);
        const bool seq = spec_.workload.family == Family::seq;
        const std::size_t threads_wanted = seq ? 1 : shape.producers + shape.consumers;
        std::vector<Seen> seen(threads_wanted);
        std::latch start{std::ptrdiff_t(threads_wanted + 1)};
        std::latch done{std::ptrdiff_t(threads_wanted)};
        auto [tx, rx] = make_channel<Impl, T>(spec_.channel_capacity());
        const ChannelObserver observer(tx);  // the wait counters, read after every handle has gone
        std::vector<std::thread> threads;
        threads.reserve(threads_wanted);
        // body(tally) is a thread's whole work; the handles it owns are gone when it returns (a
        // producer's departure is what closes the channel for the consumers).
        auto launch = [&](std::size_t i, auto body) {
            threads.emplace_back([&seen, &start, &done, i, cpu = party_cpu(i, threads_wanted), body = std::move(body)]() mutable {
                if (cpu && !pin_this_thread(*cpu)) detail::die("wb_bench: --pin: the kernel refused to pin a reference thread to its CPU");
                Seen& me = seen[i];
                start.arrive_and_wait();
                me.started = Clock::now();
                const std::uint64_t switches = thread_context_switches();
                body(me.tally);
                me.switches = thread_context_switches() - switches;
                me.finished = Clock::now();
                done.count_down();
            });
        };
        if (seq) {
            launch(0, [this, tx = tx, rx = rx](Tally& t) mutable {
                PlainParty<Channel> me(&tx, &rx, spec_.batch, name_, 0);
                const std::size_t chunk = spec_.seq_chunk();
                me.run(Role{.cycles = messages_ / chunk, .sends = chunk, .receives = chunk}, t);
            });
        } else {
            for (std::size_t p = 0; p < shape.producers; ++p)
                launch(p, [this, tx = tx, p, share = messages_ / shape.producers](Tally& t) mutable {
                    Tx mine = std::move(tx);  // gone when this returns: the last one closes the channel
                    PlainParty<Channel>(&mine, nullptr, spec_.batch, name_, std::uint64_t(p) << 48).run(Role{.cycles = 1, .sends = share}, t);
                });
            for (std::size_t c = 0; c < shape.consumers; ++c)
                launch(shape.producers + c, [this, rx = rx, share = messages_ / shape.consumers](Tally& t) mutable {
                    PlainParty<Channel> me(nullptr, &rx, spec_.batch, name_, 0);
                    // A channel that cannot close (moodycamel_blocking) would leave a draining
                    // consumer blocked for good: there the consumers take their share, as in the harness.
                    if constexpr (Impl::info.close) me.drain(t);
                    else me.run(Role{.cycles = 1, .receives = share}, t);
                });
        }
        { auto leave = std::move(tx); }  // the driver's handles go before the start: the threads hold the only ones
        { auto leave = std::move(rx); }
        const alloc::AllocCounts allocs_at_start = alloc::alloc_totals();
        start.arrive_and_wait();
        done.wait();
        const alloc::AllocCounts allocs_at_end = alloc::alloc_totals();
        for (auto& t : threads) t.join();

        std::vector<Tally> tallies;
        for (const Seen& s : seen) {
            totals_.context_switches += s.switches;
            tallies.push_back(s.tally);
        }
        totals_.allocs.allocs += allocs_at_end.allocs - allocs_at_start.allocs;
        totals_.allocs.bytes += allocs_at_end.bytes - allocs_at_start.bytes;
        accumulate(totals_.waits, observer.channel().stats());
        check_exactly_once(name_, tallies);
        return first_start_to_last_finish(seen);
    }

    Spec spec_;
    std::string name_;
    std::size_t messages_ = 0;
    Marks totals_{};
};

}  // namespace wakerbench::bench
