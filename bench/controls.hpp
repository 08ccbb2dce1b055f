#pragma once
// The A/A control: a few points measured again, twice, under other names
// (`.../mode:<m>/aa:1` and `/aa:2`). The three measurements of one point are identical by
// construction, so any difference the report's method finds between them is a false difference:
// the report counts how often that happens and sets its own threshold from it (reports/wbreport/
// control.py). One row, intrusive (it runs every point), at one point per scenario of the report's
// decision box, so the control sees the same kinds of noise the decisions do: a channel that rarely
// blocks, one that always blocks, a round-trip, coroutine parties, many waiting tasks, cancellation.

#include <algorithm>
#include <array>
#include <cstddef>
#include <string_view>

#include "payload.hpp"
#include "spec.hpp"

namespace wakerbench::bench {

inline constexpr std::string_view kControlRow = "intrusive";
inline constexpr std::size_t kControlCopies = 2;

struct ControlPoint {
    Workload workload;
    std::size_t capacity;  // 0: unbounded
    std::size_t batch;
    Mode mode;
};
inline constexpr std::array kControlPoints{
    ControlPoint{{Family::spsc}, 1024, 1, Mode::sync},       // rarely blocks
    ControlPoint{{Family::spsc}, 1, 1, Mode::sync},          // always blocks
    ControlPoint{{Family::ping_pong}, 1, 1, Mode::sync},     // a round trip per message
    ControlPoint{{Family::spsc}, 1, 1, Mode::async},         // coroutine parties
    ControlPoint{{Family::tasks, 16}, 1, 1, Mode::async},    // many waiting tasks
    ControlPoint{{Family::churn, 16}, 0, 1, Mode::sync},     // cancellation
};

// Whether `spec` (a point itself, not a copy) is measured again for the control.
inline bool is_control(const Spec& spec) {
    if (spec.impl != kControlRow || spec.payload != PayloadKind::u64 || spec.aa_copy != 0 || spec.plain_loop) return false;
    return std::ranges::any_of(kControlPoints, [&](const ControlPoint& c) {
        return c.workload == spec.workload && c.capacity == spec.capacity && c.batch == spec.batch && c.mode == spec.mode;
    });
}

}  // namespace wakerbench::bench
