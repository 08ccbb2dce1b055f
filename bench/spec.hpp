#pragma once
// One point of the sweep: workload x implementation x capacity x batch x payload x mode, its name
// (`<workload>/<impl>/cap:<c>/batch:<b>/payload:<p>/mode:<m>`, so --benchmark_filter selects by any
// dimension), the shape of its parties, and why an implementation cannot run it, if it cannot.
//
// Workloads come in families; a family with a width puts it in the name (mpsc4, mpmc2x2, tasks256).
//   threads, one party per thread (rig.hpp):
//     seq        one thread sends a chunk, then receives it (never waits)
//     spsc       one sender, one receiver
//     mpscP      P senders, one receiver            P: the machine's scaling widths (machine.hpp)
//     mpmcPxP    P senders, P receivers
//     ping_pong  a pinger and an echo over two channels (round-trip latency)
//   coroutines on one rt::ThreadPool, where waiting is a suspension, not an OS sleep:
//     tasksM     M sending and M receiving coroutines (tasks_rig.hpp)
//     fanoutK    one sending coroutine, K receiving ones; items come in bursts of K/4 (fanout_rig.hpp)
//     channelsK  K channels with a receiving coroutine each; one sender, bursts of K/4 channels (channels_rig.hpp)
//   one thread and its run loop, deterministic:
//     churnN     N waiters linked; one of them keeps linking and withdrawing (churn_rig.hpp)

#include <algorithm>
#include <array>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "machine.hpp"
#include "payload.hpp"
#include "wakerbench/channel/capacity.hpp"
#include "wakerbench/impl_info.hpp"

namespace wakerbench::bench {

enum class Family { seq, spsc, mpsc, mpmc, ping_pong, tasks, fanout, churn, channels };
enum class Mode { sync, async };

constexpr std::string_view name_of(Family f) noexcept {
    switch (f) {
        case Family::seq: return "seq";
        case Family::spsc: return "spsc";
        case Family::mpsc: return "mpsc";
        case Family::mpmc: return "mpmc";
        case Family::ping_pong: return "ping_pong";
        case Family::tasks: return "tasks";
        case Family::fanout: return "fanout";
        case Family::churn: return "churn";
        case Family::channels: return "channels";
    }
    return "?";
}
constexpr std::string_view name_of(Mode m) noexcept { return m == Mode::sync ? "sync" : "async"; }

// Families whose parties are coroutines on one pool.
constexpr bool on_pool(Family f) noexcept { return f == Family::tasks || f == Family::fanout || f == Family::channels; }
// Families that park some waiters as coroutines whatever the mode (they need the async API).
constexpr bool parks_coroutines(Family f) noexcept { return on_pool(f) || f == Family::churn; }

struct Workload {
    Family family;
    std::size_t width = 0;  // mpsc: senders; mpmc: senders = receivers; tasks: M; fanout: K; churn: N; channels: K

    [[nodiscard]] std::string name() const {
        std::string n(name_of(family));
        if (family == Family::mpmc) return n + std::to_string(width) + "x" + std::to_string(width);
        if (width != 0) n += std::to_string(width);
        return n;
    }
    friend bool operator==(const Workload&, const Workload&) = default;
};

// The thread-per-party workloads, in the order they are registered: today's seven on a 2-CPU
// machine (seq, spsc, mpsc2, mpsc4, mpmc2x2, mpmc4x4, ping_pong), more widths on a bigger one.
inline std::vector<Workload> thread_workloads(const Machine& m) {
    std::vector<Workload> w{{Family::seq}, {Family::spsc}};
    for (std::size_t p : m.scaling_widths()) w.push_back({Family::mpsc, p});
    for (std::size_t p : m.scaling_widths()) w.push_back({Family::mpmc, p});
    w.push_back({Family::ping_pong});
    return w;
}
inline constexpr std::array<std::size_t, 3> kCapacities{1, 1024, 0};  // 0: unbounded
inline constexpr std::array<std::size_t, 3> kBatches{1, 16, 256};
inline constexpr std::array kModes{Mode::sync, Mode::async};

// The pool families' own (smaller) matrices: waiting is the point, so capacities stay small, and
// the payload is u64 only (what a waiter's storage costs does not depend on the item).
inline constexpr std::array<std::size_t, 2> kTaskCounts{16, 256};       // tasksM: M per side
inline constexpr std::array<std::size_t, 2> kTaskCapacities{1, 16};
inline constexpr std::array<std::size_t, 2> kTaskBatches{1, 16};
inline constexpr std::array<std::size_t, 2> kFanoutReceivers{64, 1024};  // fanoutK
inline constexpr std::array<std::size_t, 2> kChurnWaiters{16, 1024};     // churnN
inline constexpr std::array<std::size_t, 2> kChannelCounts{64, 1024};     // channelsK: K channels, 2K wait lists

// Who takes part. seq is one party doing both sides; ping_pong is a pinger and an echo.
struct Shape {
    std::size_t producers;
    std::size_t consumers;
};
constexpr Shape shape_of(Workload w) noexcept {
    switch (w.family) {
        case Family::seq: return {1, 0};
        case Family::spsc: return {1, 1};
        case Family::mpsc: return {w.width, 1};
        case Family::mpmc: return {w.width, w.width};
        case Family::ping_pong: return {1, 1};
        case Family::tasks: return {w.width, w.width};
        case Family::fanout: return {1, w.width};
        case Family::churn: return {1, w.width};
        case Family::channels: return {1, w.width};
    }
    return {0, 0};
}

// Threads a workload keeps busy at once: its parties for the thread workloads (seq is one party
// doing both sides), the pool's workers for tasks and fanout, one for churn (its listeners share the
// churner's run loop).
inline std::size_t threads_of(Workload w, const Machine& m) noexcept {
    if (on_pool(w.family)) return m.pool_threads();
    if (w.family == Family::churn || w.family == Family::seq) return 1;
    const Shape s = shape_of(w);
    return s.producers + s.consumers;
}

// Every workload wb_bench registers on this machine, in registration order: the thread workloads,
// then the pool families (pool_workloads.cpp).
inline std::vector<Workload> all_workloads(const Machine& m) {
    std::vector<Workload> all = thread_workloads(m);
    for (std::size_t n : kTaskCounts) all.push_back({Family::tasks, n});
    for (std::size_t k : kFanoutReceivers) all.push_back({Family::fanout, k});
    for (std::size_t n : kChurnWaiters) all.push_back({Family::churn, n});
    for (std::size_t k : kChannelCounts) all.push_back({Family::channels, k});
    return all;
}

struct Spec {
    Workload workload;
    std::string_view impl;
    std::size_t capacity;  // 0: unbounded
    std::size_t batch;
    PayloadKind payload;
    Mode mode;
    std::size_t pool_threads = 1;  // worker threads of the coroutine pool (pool families only)
    std::size_t aa_copy = 0;       // 0: the point itself; 1, 2: a copy of it in the A/A control (controls.hpp)
    bool plain_loop = false;       // measured by its plain-loop reference (reference.hpp), not the harness

    [[nodiscard]] Capacity channel_capacity() const { return capacity ? Capacity(capacity) : Capacity(unbounded); }

    [[nodiscard]] std::string name() const {
        std::string n = plain_loop ? "reference/" + workload.name() : workload.name();
        n.append("/").append(impl);
        n.append("/cap:").append(capacity ? std::to_string(capacity) : "unbounded");
        n.append("/batch:").append(std::to_string(batch));
        n.append("/payload:").append(name_of(payload));
        n.append("/mode:").append(name_of(mode));
        if (aa_copy != 0) n.append("/aa:").append(std::to_string(aa_copy));
        return n;
    }

    // Messages delivered per measured round: large enough that the round's start and end (a few
    // microseconds for a barrier, more for waking every task of a pool) stay a small share of it,
    // and divisible by every party count. At capacity 1 every message costs a wait and a wake
    // (20-70 us each on this 2-core VM for threads), so 256 already dwarfs the barrier and keeps a
    // sweep short; a party's share may then be smaller than a batch, which at capacity 1 changes
    // nothing (items move one at a time whatever the batch). seq never waits, so it needs the most.
    // At larger batches a round is at least kMinBatchesPerRound batches: 4096 messages at batch 256
    // were 16 batches, and the round's start and end read as a quarter of its time (issue 16).
    [[nodiscard]] std::size_t round_messages() const noexcept {
        switch (workload.family) {
            case Family::seq: return std::max<std::size_t>(16384, kMinBatchesPerRound * batch);
            case Family::tasks: return kTaskRoundMessages;
            case Family::fanout:
            case Family::channels: return kFanoutBursts * fanout_burst();
            case Family::churn: return kChurnCycles / kChurnCyclesPerSend;
            default: return capacity == 1 ? 256 : std::max<std::size_t>(4096, kMinBatchesPerRound * batch);
        }
    }
    static constexpr std::size_t kMinBatchesPerRound = 256;

    // seq sends this many, then receives them, until the round is done: as much as fits, in whole batches.
    [[nodiscard]] std::size_t seq_chunk() const noexcept {
        const std::size_t room = capacity ? std::min<std::size_t>(capacity, 1024) : 1024;
        return room / batch * batch;
    }

    // tasksM: messages per round, shared evenly by the M senders and by the M receivers (a multiple
    // of every M in kTaskCounts).
    static constexpr std::size_t kTaskRoundMessages = 8192;
    // fanoutK, channelsK: the sender sends a round in this many bursts of K/4 items, each once the last was
    // received, so every burst finds the receivers waiting.
    static constexpr std::size_t kFanoutBursts = 64;
    [[nodiscard]] std::size_t fanout_burst() const noexcept { return std::max<std::size_t>(workload.width / 4, 1); }
    // churnN: link-and-withdraw cycles per round, and one message sent (to a listener) per this many
    // of them: most waits end withdrawn (a deadline expired, a task was cancelled), a few with an item.
    static constexpr std::size_t kChurnCycles = 2048;
    static constexpr std::size_t kChurnCyclesPerSend = 8;
};

// Why `info`'s implementation cannot run `spec` (a reason starting "n/a:"), or nothing if it can.
// payload_ok: whether the implementation accepts the spec's payload type (known only at compile time).
inline std::optional<std::string> skip_reason(const Spec& spec, const ImplInfo& info, bool payload_ok) {
    const std::string impl(info.name);
    const Family family = spec.workload.family;
    if (spec.mode == Mode::async && !info.async_api) return "n/a: " + impl + " has no async API (its waiters block threads)";
    if (parks_coroutines(family) && !info.async_api)
        return "n/a: " + std::string(name_of(family)) + " parks its waiters as coroutines; " + impl + " has no async API";
    if (spec.capacity != 0 && !info.bounded) return "n/a: " + impl + " cannot bound its queue";
    if (spec.capacity == 0 && !info.unbounded) return "n/a: " + impl + " has no unbounded mode";
    if ((spec.batch > 1 || family == Family::fanout) && !info.batches) return "n/a: " + impl + " has no batch operations";
    if (family == Family::churn && spec.mode == Mode::sync && !info.timed_waits) return "n/a: " + impl + " has no timed waits (recv_for)";
    if (!payload_ok) return std::string(payload_requirement(info.payload)) + " (" + std::string(name_of(spec.payload)) + " is not)";
    // Single-party or echo workloads: a whole batch must fit before anyone takes from the other end.
    const bool batch_must_fit = family == Family::seq || family == Family::ping_pong;
    if (batch_must_fit && spec.capacity != 0 && spec.capacity < spec.batch)
        return "n/a: " + spec.workload.name() + " puts a whole batch in before taking any out; capacity " +
               std::to_string(spec.capacity) + " < batch " + std::to_string(spec.batch) + " would block forever";
    return std::nullopt;
}

}  // namespace wakerbench::bench
