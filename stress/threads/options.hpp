#pragma once
// wb_stress's command line. Every bad value is an error that names the flag, the value and what
// would be accepted; nothing runs until the whole line has parsed.

#include <charconv>
#include <chrono>
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "plan.hpp"
#include "runners.hpp"
#include "wakerbench/registry.hpp"
#include "wakerbench/sync/faults.hpp"

namespace wakerbench::stress {

struct UsageError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

struct Options {
    std::vector<RowRunner> rows;
    std::optional<double> seconds;      // the time budget; default kDefaultSeconds without --seed
    std::optional<std::uint64_t> seed;  // replay this run's seed
    std::optional<std::uint64_t> repeat;
    PlanLimits threads;
    std::optional<std::string> threads_arg;  // as given, for the replay line
    Fault fault = Fault::none;
    std::chrono::milliseconds stall{10000};
    double progress_seconds = 5;
    std::optional<std::string> json_path;  // --json FILE: the summary, written whole at the end
    bool chaos = false;                    // --chaos: pauses at every atomic and lock (chaos.hpp)
    bool help = false;

    static constexpr double kDefaultSeconds = 10;
};

inline constexpr std::string_view kUsage = R"(usage: wb_stress [--impl NAME|all] [--seconds S] [--seed N [--repeat K]]
                 [--threads P,C] [--fault NAME] [--stall-seconds S] [--progress-seconds S]
                 [--chaos] [--json FILE]

Randomized stress runs of the channel rows on real threads: 1-4 producers and consumers, blocking,
deadline, polling and coroutine parties, batches of 1-64, capacities 1, 2, 7, 1024 and unbounded,
cancelled tasks, and closes from either side mid-flight. Every item must end exactly once
(received, handed back by a failed send, or destroyed by a receiver-side close or a cancelled
send: payload destructors are counted), in per-producer order, and no run may stop moving.

  --impl NAME|all      a row of the registry or all of them, taking turns (default: all); rows:
                       {rows}
  --seconds S          run for S seconds (default: 10; with --seed: run once unless given)
  --seed N             replay the run whose seed is N (every failure prints its seed)
  --repeat K           with --seed: run it K times (a race may need several tries)
  --threads P,C        fix the producer and consumer counts (1-16 each) instead of drawing 1-4
  --fault NAME         arm a seeded bug (see stress/threads/README.md): the run then passes only if
                       the checks catch it within the budget
  --stall-seconds S    a run in which no item moves for S seconds has hung (default: 10)
  --progress-seconds S print a progress line every S seconds (default: 5)
  --chaos              pause at random at every atomic operation and lock boundary of the channel
                       (yield or spin, one point in four), so real threads stop inside windows a
                       few instructions wide; fewer items per second, more interleavings
  --json FILE          also write the summary as JSON (per row: runs, items checked, items per
                       minute, cancellations, failures with their seeds); written whole at the end
  --help               this text

Exit status: 0 all checks passed (or the armed fault was caught); 1 a check failed (or the armed
fault was not caught); 2 a bad command line; 3 a run hung.
)";

// kUsage with the registry's rows in place of {rows}.
inline std::string usage() {
    std::string rows;
    for (const ImplInfo& i : Rows::infos) rows += (rows.empty() ? "" : ", ") + std::string(i.name);
    std::string text(kUsage);
    text.replace(text.find("{rows}"), 6, rows);
    return text;
}

namespace detail {

template <class N>
N parse_number(std::string_view flag, std::string_view text, N lo, N hi, std::string_view expect) {
    N value{};
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    // !(lo <= value <= hi) rather than value < lo || value > hi: a NaN ("nan" parses) fails every
    // comparison, so only this form refuses it.
    if (ec != std::errc() || end != text.data() + text.size() || !(value >= lo && value <= hi))
        throw UsageError(std::string(flag) + ": '" + std::string(text) + "' is not " + std::string(expect));
    return value;
}

inline std::vector<RowRunner> parse_impl(std::string_view text) {
    std::vector<RowRunner> rows;
    std::string valid;
    for (const RowRunner& r : row_runners()) {
        if (text == "all" || text == r.name) rows.push_back(r);
        valid += (valid.empty() ? "" : ", ") + std::string(r.name);
    }
    if (!rows.empty()) return rows;
    if (const ImplInfo* info = find_impl(text))
        throw UsageError("--impl: '" + std::string(text) + "' is a benchmark " + (info->peer ? "peer" : "baseline") + ", not a row: it has no " +
                         (info->async_api ? "cancellation" : "async API") + " to stress. Rows: " + valid + ", or all");
    throw UsageError("--impl: unknown implementation '" + std::string(text) + "'. Rows: " + valid + ", or all");
}

inline Fault parse_fault(std::string_view text) {
    std::string valid;
    for (int f = 1; f <= static_cast<int>(kLastFault); ++f)
        if (fault_site(static_cast<Fault>(f)) == FaultSite::channel)
            valid += (valid.empty() ? "" : ", ") + std::string(fault_name(static_cast<Fault>(f)));
    for (int f = 1; f <= static_cast<int>(kLastFault); ++f) {
        const auto fault = static_cast<Fault>(f);
        if (text != fault_name(fault)) continue;
        if (fault_site(fault) == FaultSite::channel) return fault;
        const char* where = fault_site(fault) == FaultSite::parker ? "parkers" : "runtime";
        throw UsageError("--fault: '" + std::string(text) + "' is planted in the " + where +
                         ", which wb_stress runs as shipped; the model checker finds it: wb_modelcheck --impl " + where +
                         ". Faults wb_stress arms: " + valid);
    }
    throw UsageError("--fault: unknown fault '" + std::string(text) + "'. Faults: " + valid);
}

}  // namespace detail

inline Options parse_options(const std::vector<std::string_view>& args) {
    Options o;
    o.rows = detail::parse_impl("all");
    for (std::size_t i = 0; i < args.size(); ++i) {
        const std::string_view flag = args[i];
        if (flag == "--help" || flag == "-h") {
            o.help = true;
            continue;
        }
        if (flag == "--chaos") {
            o.chaos = true;
            continue;
        }
        static constexpr std::string_view kValued[] = {"--impl", "--seconds", "--seed", "--repeat", "--threads", "--fault", "--stall-seconds", "--progress-seconds", "--json"};
        bool valued = false;
        for (std::string_view v : kValued) valued |= flag == v;
        if (!valued) throw UsageError("unknown argument '" + std::string(flag) + "'");
        if (i + 1 >= args.size()) throw UsageError(std::string(flag) + " needs a value");
        const std::string_view value = args[++i];
        if (flag == "--impl") o.rows = detail::parse_impl(value);
        else if (flag == "--seconds") {
            o.seconds = detail::parse_number<double>(flag, value, 0.001, 1e7, "a number of seconds above 0");
        } else if (flag == "--seed") {
            o.seed = detail::parse_number<std::uint64_t>(flag, value, 0, UINT64_MAX, "a seed (an unsigned 64-bit integer)");
        } else if (flag == "--repeat") {
            o.repeat = detail::parse_number<std::uint64_t>(flag, value, 1, UINT64_MAX, "a count of at least 1");
        } else if (flag == "--threads") {
            const auto comma = value.find(',');
            if (comma == std::string_view::npos) throw UsageError("--threads: '" + std::string(value) + "' is not P,C (producers,consumers, e.g. 2,3)");
            o.threads.producers = detail::parse_number<std::size_t>(flag, value.substr(0, comma), 1, 16, "P,C with each from 1 to 16");
            o.threads.consumers = detail::parse_number<std::size_t>(flag, value.substr(comma + 1), 1, 16, "P,C with each from 1 to 16");
            o.threads_arg = std::string(value);
        } else if (flag == "--fault") {
            o.fault = detail::parse_fault(value);
        } else if (flag == "--json") {
            if (value.empty()) throw UsageError("--json needs a file name");
            o.json_path = std::string(value);
        } else if (flag == "--progress-seconds") {
            o.progress_seconds = detail::parse_number<double>(flag, value, 0.1, 86400, "a number of seconds from 0.1 to 86400");
        } else {  // --stall-seconds
            const double s = detail::parse_number<double>(flag, value, 0.01, 86400, "a number of seconds from 0.01 to 86400");
            o.stall = std::chrono::milliseconds(static_cast<std::int64_t>(s * 1000));
        }
    }
    if (o.repeat && !o.seed) throw UsageError("--repeat needs --seed: it repeats one run");
    return o;
}

}  // namespace wakerbench::stress
