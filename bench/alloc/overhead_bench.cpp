// What the tracer itself costs per malloc+free pair: the same 64-byte pair through the interposed
// functions (traced) and straight through the backend (untraced). Registered by every benchmark
// executable that links wakerbench_alloc_overhead (register_tracer_overhead), so each sweep
// records it for its allocator; under wb_bench --count, the pairs are counted instead
// (bench/count/counting.hpp), which gives the tracer's cost in instructions, exactly.

#include "overhead_bench.hpp"

#include <benchmark/benchmark.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "backend.hpp"
#include "counting.hpp"

namespace wakerbench::alloc {
namespace {

constexpr std::size_t kBytes = 64;
constexpr std::uint64_t kCountedPairs = 4096;

void traced_pair() {
    void* p = std::malloc(kBytes);
    benchmark::DoNotOptimize(p);  // the block escapes: the compiler may not drop the pair
    std::free(p);
}

void untraced_pair() {
    void* p = backend::real_malloc(kBytes);
    benchmark::DoNotOptimize(p);
    backend::real_free(p);
}

template <void (*Pair)()>
void register_one(const std::string& name, bool count) {
    if (!count) {
        benchmark::RegisterBenchmark(name.c_str(), [](benchmark::State& state) {
            for (auto _ : state) Pair();
        });
        return;
    }
    bench::register_counted(name, bench::CountUnit::op, kCountedPairs, [name] {
        for (int i = 0; i < 64; ++i) Pair();  // warm: the allocator's caches hold a block of this size
        bench::count_region(name, [] {
            for (std::uint64_t i = 0; i < kCountedPairs; ++i) Pair();
        });
    });
}

}  // namespace

void register_tracer_overhead(bool count) {
    register_one<traced_pair>("tracer_overhead/malloc_free/traced", count);
    register_one<untraced_pair>("tracer_overhead/malloc_free/untraced", count);
}

}  // namespace wakerbench::alloc
