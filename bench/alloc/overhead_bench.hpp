#pragma once
// tracer_overhead/malloc_free/{traced,untraced} (overhead_bench.cpp): what the allocation tracer
// costs per malloc + free pair. `count`: counted under callgrind (wb_bench --count) instead of timed.

namespace wakerbench::alloc {

void register_tracer_overhead(bool count);

}  // namespace wakerbench::alloc
