#pragma once
// One point of the sweep: workload x implementation x capacity x batch x payload x mode, its name
// (`<workload>/<impl>/cap:<c>/batch:<b>/payload:<p>/mode:<m>`, so --benchmark_filter selects by any
// dimension), the shape of its crew, and why an implementation cannot run it, if it cannot.

#include <array>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "payload.hpp"
#include "wakerbench/channel/capacity.hpp"
#include "wakerbench/impl_info.hpp"

namespace wakerbench::bench {

enum class Workload { seq, spsc, mpsc2, mpsc4, mpmc2x2, mpmc4x4, ping_pong };
enum class Mode { sync, async };

inline constexpr std::array kWorkloads{Workload::seq,     Workload::spsc,    Workload::mpsc2,    Workload::mpsc4,
                                       Workload::mpmc2x2, Workload::mpmc4x4, Workload::ping_pong};
inline constexpr std::array<std::size_t, 3> kCapacities{1, 1024, 0};  // 0: unbounded
inline constexpr std::array<std::size_t, 3> kBatches{1, 16, 256};
inline constexpr std::array kModes{Mode::sync, Mode::async};

constexpr std::string_view name_of(Workload w) noexcept {
    switch (w) {
        case Workload::seq: return "seq";
        case Workload::spsc: return "spsc";
        case Workload::mpsc2: return "mpsc2";
        case Workload::mpsc4: return "mpsc4";
        case Workload::mpmc2x2: return "mpmc2x2";
        case Workload::mpmc4x4: return "mpmc4x4";
        case Workload::ping_pong: return "ping_pong";
    }
    return "?";
}
constexpr std::string_view name_of(Mode m) noexcept { return m == Mode::sync ? "sync" : "async"; }

// Who takes part. seq is one party doing both sides; ping_pong is a pinger and an echo.
struct Shape {
    std::size_t producers;
    std::size_t consumers;
};
constexpr Shape shape_of(Workload w) noexcept {
    switch (w) {
        case Workload::seq: return {1, 0};
        case Workload::spsc: return {1, 1};
        case Workload::mpsc2: return {2, 1};
        case Workload::mpsc4: return {4, 1};
        case Workload::mpmc2x2: return {2, 2};
        case Workload::mpmc4x4: return {4, 4};
        case Workload::ping_pong: return {1, 1};
    }
    return {0, 0};
}

struct Spec {
    Workload workload;
    std::string_view impl;
    std::size_t capacity;  // 0: unbounded
    std::size_t batch;
    PayloadKind payload;
    Mode mode;

    [[nodiscard]] Capacity channel_capacity() const { return capacity ? Capacity(capacity) : Capacity(unbounded); }

    [[nodiscard]] std::string name() const {
        std::string n;
        n.append(name_of(workload)).append("/").append(impl);
        n.append("/cap:").append(capacity ? std::to_string(capacity) : "unbounded");
        n.append("/batch:").append(std::to_string(batch));
        n.append("/payload:").append(name_of(payload));
        n.append("/mode:").append(name_of(mode));
        return n;
    }

    // Messages delivered per measured round: large enough that the round's two barrier crossings
    // (a few microseconds) stay under 1-2% of it, and divisible by every party count. At capacity 1
    // every message costs a wait and a wake (20-70 us each on this 2-core VM), so 256 already
    // dwarfs the barrier and keeps a sweep short; a party's share may then be smaller than a
    // batch, which at capacity 1 changes nothing (items move one at a time whatever the batch).
    // seq never waits, so it needs the most.
    [[nodiscard]] std::size_t round_messages() const noexcept {
        if (workload == Workload::seq) return 16384;
        return capacity == 1 ? 256 : 4096;
    }

    // seq sends this many, then receives them, until the round is done: as much as fits, in whole batches.
    [[nodiscard]] std::size_t seq_chunk() const noexcept {
        const std::size_t room = capacity ? std::min<std::size_t>(capacity, 1024) : 1024;
        return room / batch * batch;
    }
};

// Why `info`'s implementation cannot run `spec` (a reason starting "n/a:"), or nothing if it can.
// payload_ok: whether the implementation accepts the spec's payload type (known only at compile time).
inline std::optional<std::string> skip_reason(const Spec& spec, const ImplInfo& info, bool payload_ok) {
    const std::string impl(info.name);
    if (spec.mode == Mode::async && !info.async_api) return "n/a: " + impl + " has no async API (its waiters block threads)";
    if (spec.capacity != 0 && !info.bounded) return "n/a: " + impl + " cannot bound its queue";
    if (spec.capacity == 0 && !info.unbounded) return "n/a: " + impl + " has no unbounded mode";
    if (spec.batch > 1 && !info.batches) return "n/a: " + impl + " has no batch operations";
    if (!payload_ok) return std::string(payload_requirement(info.payload)) + " (" + std::string(name_of(spec.payload)) + " is not)";
    // Single-party or echo workloads: a whole batch must fit before anyone takes from the other end.
    const bool batch_must_fit = spec.workload == Workload::seq || spec.workload == Workload::ping_pong;
    if (batch_must_fit && spec.capacity != 0 && spec.capacity < spec.batch)
        return "n/a: " + std::string(name_of(spec.workload)) + " puts a whole batch in before taking any out; capacity " +
               std::to_string(spec.capacity) + " < batch " + std::to_string(spec.batch) + " would block forever";
    return std::nullopt;
}

}  // namespace wakerbench::bench
