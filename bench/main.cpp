// wb_bench / wb_bench_jemalloc: the same sources linked against the system allocator or jemalloc
// (bench/alloc/ holds the difference). Google Benchmark's own flags apply; see scripts/sweep.

#include <benchmark/benchmark.h>

#include <string>

#include "allocator.hpp"
#include "build_info.hpp"
#include "git_revision.hpp"
#include "registration.hpp"
#include "rig.hpp"
#include "wakerbench/registry.hpp"

namespace {

void record_context() {
    using namespace wakerbench;
    using namespace wakerbench::bench;
    benchmark::AddCustomContext("wakerbench_allocator", std::string(alloc::allocator_name()));
    benchmark::AddCustomContext("wakerbench_allocator_version", alloc::allocator_version());
    benchmark::AddCustomContext("wakerbench_compiler", kCompiler);
    benchmark::AddCustomContext("wakerbench_cxx_flags", kCxxFlags);
    benchmark::AddCustomContext("wakerbench_git_revision", kGitRevision);
    benchmark::AddCustomContext("wakerbench_git_dirty", kGitDirty ? "true" : "false");
    benchmark::AddCustomContext("wakerbench_warmup_rounds", std::to_string(bench::kWarmupRounds));
}

}  // namespace

int main(int argc, char** argv) {
    wakerbench::alloc::verify_allocator();  // exits loudly if the allocator is not the one this binary claims
    record_context();
    wakerbench::Rows::apply<wakerbench::bench::RegisterAll>::run();
    wakerbench::Baselines::apply<wakerbench::bench::RegisterAll>::run();
    benchmark::Initialize(&argc, argv);
    if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 2;
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    return 0;
}
