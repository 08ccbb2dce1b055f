// What the tracer itself costs per malloc+free pair: the same 64-byte pair through the interposed
// functions (traced) and straight through the backend (untraced). Registered in every benchmark
// executable that links wakerbench_alloc_overhead, so each sweep records it for its allocator.
// No main() here: the executables bring their own.

#include <benchmark/benchmark.h>

#include <cstddef>
#include <cstdlib>

#include "backend.hpp"

namespace {

constexpr std::size_t kBytes = 64;

void traced(benchmark::State& state) {
    for (auto _ : state) {
        void* p = std::malloc(kBytes);
        benchmark::DoNotOptimize(p);  // the block escapes: the compiler may not drop the pair
        std::free(p);
    }
}

void untraced(benchmark::State& state) {
    for (auto _ : state) {
        void* p = wakerbench::alloc::backend::real_malloc(kBytes);
        benchmark::DoNotOptimize(p);
        wakerbench::alloc::backend::real_free(p);
    }
}

}  // namespace

BENCHMARK(traced)->Name("tracer_overhead/malloc_free/traced");
BENCHMARK(untraced)->Name("tracer_overhead/malloc_free/untraced");
