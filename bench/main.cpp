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

void record_context(const Machine& machine) {
    using namespace wakerbench;
    benchmark::AddCustomContext("wakerbench_allocator", std::string(alloc::allocator_name()));
    benchmark::AddCustomContext("wakerbench_allocator_version", alloc::allocator_version());
    benchmark::AddCustomContext("wakerbench_compiler", kCompiler);
    benchmark::AddCustomContext("wakerbench_cxx_flags", kCxxFlags);
    benchmark::AddCustomContext("wakerbench_git_revision", kGitRevision);
    benchmark::AddCustomContext("wakerbench_git_dirty", kGitDirty ? "true" : "false");
    benchmark::AddCustomContext("wakerbench_warmup_rounds", std::to_string(kWarmupRounds));
    benchmark::AddCustomContext("wakerbench_cpus", std::to_string(machine.cpus));
    benchmark::AddCustomContext("wakerbench_cpus_from", machine.overridden ? "WAKERBENCH_CPUS" : "affinity");
    benchmark::AddCustomContext("wakerbench_pool_threads", std::to_string(machine.pool_threads()));
    std::string widths;
    for (std::size_t w : machine.scaling_widths()) widths += (widths.empty() ? "" : ",") + std::to_string(w);
    benchmark::AddCustomContext("wakerbench_scaling_widths", widths);
    benchmark::AddCustomContext("wakerbench_pinned", pin_parties() ? "true" : "false");
    benchmark::AddCustomContext("wakerbench_counting", counting() ? "true" : "false");
    // Which implementations are baselines and which peers (registry.hpp), so the report shows them
    // as references and never picks one, with no list of its own to keep.
    benchmark::AddCustomContext("wakerbench_baselines", names_of(Baselines::infos));
    benchmark::AddCustomContext("wakerbench_peers", names_of(Peers::infos));
    // The registry and the workloads' shapes, whole (context.hpp): the report's order, styles and
    // thread counts come from these.
    benchmark::AddCustomContext("wakerbench_impls", impls_context());
    benchmark::AddCustomContext("wakerbench_waitlists", waitlists_context());
    benchmark::AddCustomContext("wakerbench_workloads", workloads_context(machine));
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

// --count counts under callgrind only; listing what it would count needs no valgrind.
void check_counting_runs_under_valgrind(int argc, char** argv) {
    if (!counting() || under_valgrind()) return;
    for (int i = 1; i < argc; ++i) {
        const std::string_view arg(argv[i]);
        if (arg.starts_with("--benchmark_list_tests") && arg != "--benchmark_list_tests=false" && arg != "--benchmark_list_tests=0") return;
    }
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
    benchmark::Initialize(&argc, argv);
    if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 2;
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    return 0;
}
