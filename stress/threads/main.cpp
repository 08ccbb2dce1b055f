// wb_stress: randomized, reproducible stress runs of every channel row on real threads (usage in
// options.hpp; what a run does in plan.hpp and run.hpp; what it checks in ledger.hpp).

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <csignal>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <random>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/output_file.hpp"
#include "aim.hpp"
#include "options.hpp"
#include "plan.hpp"
#include "runners.hpp"
#include "wakerbench/registry.hpp"

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#include <sanitizer/common_interface_defs.h>
#define WB_SANITIZED 1
#endif

namespace {

using namespace wakerbench;
using namespace wakerbench::stress;
using Clock = std::chrono::steady_clock;

constexpr int kExitFailed = 1;
constexpr int kExitUsage = 2;
constexpr int kExitHung = 3;

const Options* g_options = nullptr;
std::string g_program;

// The run in progress, for a crash: a sanitizer report, an abort or a segfault ends the process
// outside our checks, and must still say which seed to replay. Prepared before each run, written
// with write(2) from the handlers (async-signal-safe).
char g_crash_note[512] = "";

void write_crash_note() noexcept {
    const ssize_t ignored = ::write(STDERR_FILENO, g_crash_note, std::strlen(g_crash_note));
    (void)ignored;
}

#ifdef WB_SANITIZED
// With a seeded fault armed, a sanitizer report is the fault caught: the fault's departure (an
// unlocked access, say) is what the sanitizer saw, as `unlink_outside_lock` is meant to be caught.
// Prepared before the first run; empty when no fault is armed.
char g_caught_by_sanitizer[256] = "";

void on_sanitizer_death() noexcept {
    write_crash_note();
    if (g_caught_by_sanitizer[0] == '\0') return;  // the sanitizer ends the process as it would
    const ssize_t ignored = ::write(STDERR_FILENO, g_caught_by_sanitizer, std::strlen(g_caught_by_sanitizer));
    (void)ignored;
    std::_Exit(0);
}
#endif

extern "C" void on_fatal_signal(int sig) {
    write_crash_note();
    std::signal(sig, SIG_DFL);
    std::raise(sig);
}

std::string replay_command(std::string_view row, std::uint64_t seed) {
    std::ostringstream out;
    out << g_program << " --impl " << row << " --seed " << seed;
    if (g_options->threads_arg) out << " --threads " << *g_options->threads_arg;
    if (g_options->fault != Fault::none) out << " --fault " << fault_name(g_options->fault);
    if (g_options->chaos) out << " --chaos";
    if (g_options->stall != std::chrono::milliseconds(10000)) out << " --stall-seconds " << g_options->stall.count() / 1000.0;
    return out.str();
}

void prepare_crash_note(std::string_view row, std::uint64_t seed) {
    const std::string note = "\nwb_stress: the process died during row " + std::string(row) + ", seed " + std::to_string(seed) +
                             "\nreplay: " + replay_command(row, seed) + " --repeat 20\n";
    std::snprintf(g_crash_note, sizeof g_crash_note, "%s", note.c_str());
}

}  // namespace

// CheckedSync::fatal (faulty_sync.hpp): an audit or the library found a broken invariant in some
// party's thread. With a seeded fault armed, that is the fault caught; otherwise the abort's
// handler prints the run's seed and replay command (on_fatal_signal).
[[noreturn]] void wakerbench::stress::invariant_broken(const char* what) noexcept {
    std::fflush(stdout);
    std::fprintf(stderr, "\nwb_stress: invariant broken: %s\n", what);
    if (g_options != nullptr && g_options->fault != Fault::none) {
        write_crash_note();
        std::fprintf(stderr, "wb_stress: CAUGHT: seeded fault '%s' broke an invariant the audit checks\n", fault_name(g_options->fault));
        std::fflush(stderr);
        std::_Exit(0);  // the other parties are mid-run: end here, like a caught hang
    }
    std::fflush(stderr);
    std::abort();
}

namespace {

std::string millions(std::uint64_t n) {
    if (n < 100'000) return std::to_string(n);
    std::ostringstream out;
    out.precision(n >= 10'000'000 ? 0 : 2);
    out << std::fixed << n / 1e6 << 'M';
    return out.str();
}

struct Tally {
    std::uint64_t runs = 0, items = 0, cancels = 0, cancels_in_op = 0, failures = 0;
    double seconds = 0;
    std::vector<nlohmann::json> failed;  // {seed, plan, failures, replay}
};

// The summary for the report (reports/), written whole (common/output_file.hpp). Returns false,
// having said why, if it cannot be written.
bool write_summary(const std::string& path, const Options& options, std::uint64_t base_seed, double elapsed,
                   const std::vector<Tally>& tallies) {
    nlohmann::json rows = nlohmann::json::array();
    for (std::size_t i = 0; i < tallies.size(); ++i) {
        const Tally& t = tallies[i];
        rows.push_back({{"impl", options.rows[i].name},
                        {"runs", t.runs},
                        {"items_checked", t.items},
                        {"items_per_minute", t.seconds > 0 ? t.items / t.seconds * 60 : 0.0},
                        {"run_seconds", t.seconds},
                        {"tasks_cancelled", t.cancels},
                        {"cancelled_inside_an_operation", t.cancels_in_op},
                        {"failures", t.failures},
                        {"failed_runs", t.failed}});
    }
    const nlohmann::json doc{{"schema", 1},
                             {"tool", "wb_stress"},
                             {"base_seed", base_seed},
                             {"seconds", elapsed},
                             {"budget_seconds", options.seconds.value_or(0)},
                             {"fault", fault_name(options.fault)},
                             {"chaos", options.chaos},
                             {"rows", rows}};
    std::string error;
    if (tools::write_whole(path, doc.dump(1) + "\n", error)) return true;
    std::cerr << "wb_stress: " << error << '\n';
    return false;
}

// Every registered row must have a runner, and every runner must be a registered row: the CMake
// list that generates the runners and the registry cannot drift apart unnoticed.
bool runners_match_registry() {
    const auto runners = row_runners();
    bool ok = runners.size() == Rows::infos.size();
    for (std::size_t i = 0; ok && i < runners.size(); ++i) ok = runners[i].name == Rows::infos[i].name;
    if (!ok) std::cerr << "wb_stress: the row runners differ from the registry's rows: CMake read an older registry; re-run cmake\n";
    return ok;
}

}  // namespace

int main(int argc, char** argv) {
    g_program = argv[0];
    std::vector<std::string_view> args(argv + 1, argv + argc);
    Options options;
    try {
        options = parse_options(args);
    } catch (const UsageError& e) {
        std::cerr << "wb_stress: " << e.what() << "\nwb_stress: see wb_stress --help\n";
        return kExitUsage;
    }
    if (options.help) {
        std::cout << usage();
        return 0;
    }
    // Before any run: a --json that cannot be written is a usage error, not a failure found later.
    if (options.json_path) {
        if (const std::string why = tools::why_not_writable(*options.json_path); !why.empty()) {
            std::cerr << "wb_stress: --json: " << why << "\nwb_stress: see wb_stress --help\n";
            return kExitUsage;
        }
    }
    if (!runners_match_registry()) return kExitFailed;
    g_options = &options;
    FaultySync::armed = options.fault;  // before any run starts a thread
    Chaos::armed.store(options.chaos, std::memory_order_relaxed);  // likewise

    std::signal(SIGSEGV, on_fatal_signal);
    std::signal(SIGABRT, on_fatal_signal);
    std::signal(SIGBUS, on_fatal_signal);
#ifdef WB_SANITIZED
    if (options.fault != Fault::none)
        std::snprintf(g_caught_by_sanitizer, sizeof g_caught_by_sanitizer,
                      "wb_stress: CAUGHT: seeded fault '%s' made the sanitizer report above\n", fault_name(options.fault));
    __sanitizer_set_death_callback(on_sanitizer_death);
#endif

    const bool fault_armed = options.fault != Fault::none;
    const std::uint64_t base_seed = options.seed.value_or(std::random_device{}() * 0x100000001ULL ^ std::random_device{}());
    const double budget = options.seconds.value_or(options.seed ? 0 : Options::kDefaultSeconds);
    const std::uint64_t run_limit = options.seed && !options.seconds ? options.repeat.value_or(1) * options.rows.size() : UINT64_MAX;

    std::cout << "wb_stress: rows";
    for (const RowRunner& r : options.rows) std::cout << ' ' << r.name;
    if (options.seed) std::cout << "; replaying seed " << *options.seed;
    else std::cout << "; base seed " << base_seed << " (each failure prints its own run's seed)";
    if (budget > 0) std::cout << "; " << budget << " s";
    std::cout << "; a run hangs after " << options.stall.count() / 1000.0 << " s without progress\n";
    if (options.chaos) std::cout << "wb_stress: chaos is armed: pauses at every atomic operation and lock boundary\n";
    if (fault_armed)
        std::cout << "wb_stress: seeded fault '" << fault_name(options.fault) << "' is armed: this passes only if a check catches it\n";
    std::cout.flush();

    RunOptions run_options;
    run_options.stall = options.stall;
    std::string current_row;
    std::uint64_t current_seed = 0;
    run_options.on_hang = [&](const std::string& report) {
        std::cout.flush();
        std::cerr << "\nwb_stress: row " << current_row << ", seed " << current_seed << '\n' << report;
        std::cerr << "replay: " << replay_command(current_row, current_seed) << " --repeat 20\n";
        if (fault_armed) {
            std::cerr << "wb_stress: CAUGHT: seeded fault '" << fault_name(options.fault) << "' made a run hang, and the watchdog saw it\n";
            std::cerr.flush();
            std::_Exit(0);
        }
        std::cerr.flush();
        std::_Exit(kExitHung);  // the hung parties cannot be joined: end here
    };

    std::vector<Tally> tallies(options.rows.size());
    SeedRng seeds(base_seed);
    const Clock::time_point started = Clock::now();
    const auto progress_every = std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(options.progress_seconds));
    Clock::time_point next_progress = started + progress_every;
    bool failed = false;
    for (std::uint64_t run = 0; run < run_limit; ++run) {
        const Clock::time_point now = Clock::now();
        if (run_limit == UINT64_MAX && std::chrono::duration<double>(now - started).count() >= budget) break;
        if (now >= next_progress) {
            std::uint64_t items = 0;
            for (const Tally& t : tallies) items += t.items;
            std::cout << "  [" << static_cast<int>(std::chrono::duration<double>(now - started).count()) << " s] " << run << " runs, "
                      << millions(items) << " items checked\n"
                      << std::flush;
            next_progress = now + progress_every;
        }
        const std::size_t which = run % options.rows.size();
        const RowRunner& row = options.rows[which];
        current_row = row.name;
        current_seed = options.seed ? *options.seed : seeds.next();
        prepare_crash_note(row.name, current_seed);
        const Plan plan = draw_plan(current_seed, options.threads, options.fault);
        if (options.seed && run < options.rows.size()) {  // a replay: show the whole plan once
            std::cout << "  " << row.name << " seed " << current_seed << ": " << describe(plan) << '\n';
            for (std::size_t i = 0; i < plan.producers.size(); ++i) std::cout << "    producer " << i << ": " << describe(plan.producers[i]) << '\n';
            for (std::size_t i = 0; i < plan.consumers.size(); ++i) std::cout << "    consumer " << i << ": " << describe(plan.consumers[i]) << '\n';
            std::cout << std::flush;
        }

        const Clock::time_point t0 = Clock::now();
        const RunOutcome outcome = row.run(plan, run_options, fault_armed);
        Tally& t = tallies[which];
        t.seconds += std::chrono::duration<double>(Clock::now() - t0).count();
        ++t.runs;
        t.items += outcome.items;
        t.cancels += outcome.cancels;
        t.cancels_in_op += outcome.cancels_in_op;
        if (outcome.failure_count == 0) continue;

        ++t.failures;
        t.failed.push_back({{"seed", current_seed}, {"plan", describe(plan)}, {"failures", outcome.failures},
                            {"replay", replay_command(row.name, current_seed)}});
        std::cerr << "\nwb_stress: FAILED: row " << row.name << ", seed " << current_seed << ": " << describe(plan) << '\n';
        for (const std::string& f : outcome.failures) std::cerr << "  " << f << '\n';
        if (outcome.failure_count > outcome.failures.size())
            std::cerr << "  ... and " << outcome.failure_count - outcome.failures.size() << " more\n";
        std::cerr << "replay: " << replay_command(row.name, current_seed) << '\n';
        if (fault_armed) {
            std::cerr << "wb_stress: CAUGHT: seeded fault '" << fault_name(options.fault) << "' failed the checks above\n";
            return 0;
        }
        failed = true;
        break;
    }

    Tally total;
    for (std::size_t i = 0; i < tallies.size(); ++i) {
        const Tally& t = tallies[i];
        total.runs += t.runs;
        total.items += t.items;
        total.failures += t.failures;
        total.cancels += t.cancels;
        total.cancels_in_op += t.cancels_in_op;
        const double per_minute = t.seconds > 0 ? t.items / t.seconds * 60 : 0;
        std::cout << "  " << options.rows[i].name << ": " << t.runs << " runs, " << millions(t.items) << " items checked ("
                  << millions(static_cast<std::uint64_t>(per_minute)) << "/min), " << t.cancels << " tasks cancelled (" << t.cancels_in_op
                  << " inside an operation), " << t.failures << " failures\n";
    }
    const double elapsed = std::chrono::duration<double>(Clock::now() - started).count();
    std::cout << "wb_stress: " << total.runs << " runs, " << millions(total.items) << " items checked, " << total.failures << " failures in "
              << static_cast<int>(elapsed + 0.5) << " s\n";
    if (options.json_path && !write_summary(*options.json_path, options, base_seed, elapsed, tallies)) return kExitFailed;
    if (fault_armed) {
        std::cerr << "wb_stress: NOT CAUGHT: seeded fault '" << fault_name(options.fault) << "' went unnoticed for " << total.runs
                  << " runs: the stress checks are blind to it\n";
        return kExitFailed;
    }
    return failed ? kExitFailed : 0;
}
