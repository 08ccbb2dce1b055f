// wb_bench / wb_bench_jemalloc: the same sources linked against the system allocator or jemalloc
// (bench/alloc/ holds the difference). Google Benchmark's own flags apply; see scripts/sweep.

#include <benchmark/benchmark.h>

#include <array>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "allocator.hpp"
#include "build_info.hpp"
#include "context.hpp"
#include "count_reporter.hpp"
#include "counting.hpp"
#include "families.hpp"
#include "git_revision.hpp"
#include "machine.hpp"
#include "marks.hpp"
#include "min_time.hpp"
#include "overhead_bench.hpp"
#include "pinning.hpp"
#include "wakerbench/registry.hpp"

namespace {

using namespace wakerbench::bench;

// The machine the points are registered for: this process's CPUs, or WAKERBENCH_CPUS.
Machine machine_or_exit() {
    const CpusOverride o = parse_cpus_override(std::getenv("WAKERBENCH_CPUS"));
    if (!o.error.empty()) {
        std::fprintf(stderr, "wb_bench: %s\n", o.error.c_str());
        std::exit(2);
    }
    return o.value ? Machine{.cpus = *o.value, .overridden = true} : Machine{.cpus = affinity_cpus(), .overridden = false};
}

// "a,b,c": the names of a registry list, for the context.
template <std::size_t N>
std::string names_of(const std::array<wakerbench::ImplInfo, N>& infos) {
    std::string names;
    for (const wakerbench::ImplInfo& i : infos) names += (names.empty() ? "" : ",") + std::string(i.name);
    return names;
}

// One entry of wb_bench's context: in Google Benchmark's, and in the count report's (--count).
void add_context(const std::string& key, const std::string& value) {
    benchmark::AddCustomContext(key, value);
    own_context().emplace_back(key, value);
}

void record_context(const Machine& machine) {
    using namespace wakerbench;
    add_context("wakerbench_allocator", std::string(alloc::allocator_name()));
    add_context("wakerbench_allocator_version", alloc::allocator_version());
    add_context("wakerbench_compiler", kCompiler);
    add_context("wakerbench_cxx_flags", kCxxFlags);
    add_context("wakerbench_git_revision", kGitRevision);
    add_context("wakerbench_git_dirty", kGitDirty ? "true" : "false");
    add_context("wakerbench_warmup_rounds", std::to_string(kWarmupRounds));
    add_context("wakerbench_cpus", std::to_string(machine.cpus));
    add_context("wakerbench_cpus_from", machine.overridden ? "WAKERBENCH_CPUS" : "affinity");
    add_context("wakerbench_pool_threads", std::to_string(machine.pool_threads()));
    std::string widths;
    for (std::size_t w : machine.scaling_widths()) widths += (widths.empty() ? "" : ",") + std::to_string(w);
    add_context("wakerbench_scaling_widths", widths);
    add_context("wakerbench_pinned", pin_parties() ? "true" : "false");
    add_context("wakerbench_counting", counting() ? "true" : "false");
    // Which implementations are baselines and which peers (registry.hpp), so the report shows them
    // as references and never picks one, with no list of its own to keep.
    add_context("wakerbench_baselines", names_of(Baselines::infos));
    add_context("wakerbench_peers", names_of(Peers::infos));
    // The registry and the workloads' shapes, whole (context.hpp): the report's order, styles and
    // thread counts come from these.
    add_context("wakerbench_impls", impls_context());
    add_context("wakerbench_waitlists", waitlists_context());
    add_context("wakerbench_workloads", workloads_context(machine));
}

// Takes wb_bench's own flags out of argv before Google Benchmark sees it: --pin (pinning.hpp),
// --min_time_for=SECONDS:REGEX (min_time.hpp) and --count (count/counting.hpp). A bad one exits 2
// with the reason.
void take_own_flags(int& argc, char** argv) {
    constexpr std::string_view kMinTimeFor = "--min_time_for=";
    int kept = 1;
    for (int i = 1; i < argc; ++i) {
        const std::string_view arg(argv[i]);
        if (arg == "--pin") {
            pin_parties() = true;
        } else if (arg == "--count") {
            counting() = true;
        } else if (arg.starts_with(kMinTimeFor)) {
            std::string error;
            auto rule = MinTimeRule::parse(arg.substr(kMinTimeFor.size()), error);
            if (!rule) {
                std::fprintf(stderr, "wb_bench: %.*s: %s\n", int(arg.size()), arg.data(), error.c_str());
                std::exit(2);
            }
            min_time_rules().push_back(*rule);
        } else {
            argv[kept++] = argv[i];
        }
    }
    argc = kept;
    argv[argc] = nullptr;
}

// --count counts under callgrind only (listing what it would count needs no valgrind), and reports
// through CountReporter alone (count_reporter.hpp says why), so no --benchmark_out.
void check_counting_runs_under_valgrind(int argc, char** argv) {
    if (!counting()) return;
    bool listing = false;
    for (int i = 1; i < argc; ++i) {
        const std::string_view arg(argv[i]);
        if (arg.starts_with("--benchmark_list_tests") && arg != "--benchmark_list_tests=false" && arg != "--benchmark_list_tests=0") listing = true;
        if (arg.starts_with("--benchmark_out")) {
            std::fprintf(stderr, "wb_bench: --count writes its report (JSON) to stdout; %.*s would add Google Benchmark's reporter, "
                                 "whose times are those of the parent waiting for valgrind, nothing to read as a measurement\n",
                         int(arg.size()), arg.data());
            std::exit(2);
        }
    }
    if (listing || under_valgrind()) return;
    std::fprintf(stderr,
                 "wb_bench: --count counts instructions under callgrind, and this process is not running under valgrind.\n"
                 "wb_bench: run it as scripts/count does (bench/count/README.md):\n"
                 "wb_bench:   valgrind --tool=callgrind --collect-atstart=no --cache-sim=yes --branch-sim=yes %s --count ...\n"
                 "wb_bench: or add --benchmark_list_tests to list what it would count.\n",
                 argv[0]);
    std::exit(2);
}

}  // namespace

int main(int argc, char** argv) {
    take_own_flags(argc, argv);
    check_counting_runs_under_valgrind(argc, argv);
    wakerbench::alloc::verify_allocator();  // exits loudly if the allocator is not the one this binary claims
    const Machine machine = machine_or_exit();
    record_context(machine);  // after take_own_flags: it records --pin
    register_thread_workloads(machine);
    register_pool_workloads(machine);
    register_references(machine);
    register_waitlists();
    wakerbench::alloc::register_tracer_overhead(counting());
    // Every counted point runs in a child of the zygote, forked now: before anything has run and
    // before Google Benchmark has read its flags (the filter), so every point starts from one state.
    if (counting() && under_valgrind()) Zygote::instance().start();
    benchmark::Initialize(&argc, argv);
    if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 2;
    if (counting()) {
        CountReporter report;  // nothing timed, nothing time-dependent allocated (count_reporter.hpp)
        benchmark::RunSpecifiedBenchmarks(&report);
    } else {
        benchmark::RunSpecifiedBenchmarks();
    }
    benchmark::Shutdown();
    return 0;
}
