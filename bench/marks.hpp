#pragma once
// Marks: the counters every rig reads at a quiescent point between rounds (allocations, the
// channels' wait counters, context switches, withdrawn waits), and PerMessage, the figures per
// delivered message between two marks. Also the exactly-once check every rig ends with.

#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>

#include "alloc_tracer.hpp"
#include "party.hpp"
#include "wakerbench/channel/channel_base.hpp"

namespace wakerbench::bench {

// Rounds every rig runs (and throws away) before the first mark: one round of the same work is
// enough for every wait list, queue and allocator cache to reach its high-water mark for the workload.
inline constexpr std::size_t kWarmupRounds = 1;

struct Marks {
    alloc::AllocCounts allocs;
    WaitStats waits;
    std::uint64_t context_switches = 0;
    std::uint64_t cancellations = 0;  // waits that ended withdrawn (churn only; 0 elsewhere)
    std::uint64_t withdrawing_ns = 0;  // time spent in those waits (churn only; 0 elsewhere)
};

inline void accumulate(WaitStats& into, const WaitStats& s) noexcept {
    into.waits += s.waits;
    into.wakes += s.wakes;
    into.spurious += s.spurious;
}

// Figures per delivered message between two marks.
struct PerMessage {
    double messages = 0;
    double allocs = 0, bytes = 0;
    double waits = 0, wakes = 0, spurious = 0;
    double context_switches = 0;
    double cancellations = 0;
    double withdrawing_ns = 0;
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
        .cancellations = per(b.cancellations, a.cancellations),
        .withdrawing_ns = per(b.withdrawing_ns, a.withdrawing_ns),
    };
}

// Seconds from the earliest `started` to the latest `finished` of parties that each read their
// own clock (crew.hpp, reference.hpp): the span of the work itself, not the time the driving
// thread took to notice that it had ended (on 2 cores it may run again only well after).
template <class Parties>
double first_start_to_last_finish(const Parties& parties) {
    auto first = parties.front().started, last = parties.front().finished;
    for (const auto& p : parties) {
        first = std::min(first, p.started);
        last = std::max(last, p.finished);
    }
    return std::chrono::duration<double>(last - first).count();
}

// Voluntary + involuntary context switches of the calling thread so far.
inline std::uint64_t thread_context_switches() noexcept {
    rusage u{};
    getrusage(RUSAGE_THREAD, &u);
    return static_cast<std::uint64_t>(u.ru_nvcsw) + static_cast<std::uint64_t>(u.ru_nivcsw);
}

// Voluntary + involuntary context switches of every thread of the process so far (the pool rigs,
// whose workers belong to rt::ThreadPool: the driving thread's own few per round are included).
inline std::uint64_t process_context_switches() noexcept {
    rusage u{};
    getrusage(RUSAGE_SELF, &u);
    return static_cast<std::uint64_t>(u.ru_nvcsw) + static_cast<std::uint64_t>(u.ru_nivcsw);
}

// The marks of a rig whose parties run on a pool: one channel, context switches of the whole process.
// process_marks(waits): the same from wait counters the rig has gathered (several channels).
inline Marks process_marks(const WaitStats& waits, std::uint64_t cancellations = 0, std::uint64_t withdrawing_ns = 0) {
    return Marks{.allocs = alloc::alloc_totals(), .waits = waits, .context_switches = process_context_switches(),
                 .cancellations = cancellations, .withdrawing_ns = withdrawing_ns};
}
template <class Channel>
    requires requires(Channel& c) { c.stats(); }
Marks process_marks(Channel& channel, std::uint64_t cancellations = 0, std::uint64_t withdrawing_ns = 0) {
    return process_marks(channel.stats(), cancellations, withdrawing_ns);
}

// Every item sent was received exactly once: the counts and the key sums agree. Dies with the
// benchmark's name if not (a lost or duplicated item is a bug, not a figure).
inline void check_exactly_once(const std::string& bench, std::span<const Tally> tallies) {
    Tally all;
    for (const Tally& t : tallies) {
        all.sent += t.sent;
        all.sent_keys += t.sent_keys;
        all.received += t.received;
        all.received_keys += t.received_keys;
    }
    if (all.sent != all.received || all.sent_keys != all.received_keys)
        fail_run(bench, "items sent and received differ: an item was lost or delivered twice");
}

}  // namespace wakerbench::bench
