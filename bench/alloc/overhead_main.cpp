// alloc_tracer_overhead_<backend>: the tracer's overhead benchmarks alone (bench/alloc/README.md).

#include <benchmark/benchmark.h>

#include "overhead_bench.hpp"

int main(int argc, char** argv) {
    wakerbench::alloc::register_tracer_overhead(false);
    benchmark::Initialize(&argc, argv);
    if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 2;
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    return 0;
}
