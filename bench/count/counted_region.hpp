#pragma once
// CountedRegion: the one place wb_bench talks to callgrind. Under
// `valgrind --tool=callgrind --collect-atstart=no`, collection is off except inside a region: it
// zeroes the counters and turns collection on; close() turns it off and dumps the counts under the
// benchmark's name (callgrind.out.<pid>.1 of the point's child, zygote.hpp; "desc: Trigger: Client
// Request: <name>"). So a dump holds the
// measured loop and nothing else: not the set-up, the warm-up, Google Benchmark's own code, nor
// the benchmark before it. Instrumentation stays on throughout, so the simulated caches and branch
// predictor have seen the warm-up when the region opens, as a real core's would have.
//
// callgrind's collection state belongs to the thread that toggles it: only the calling thread is
// counted, which is why only single-threaded points are counted (counting.hpp).

#include <valgrind/callgrind.h>
#include <valgrind/valgrind.h>

#include <string>
#include <utility>

#include "wakerbench/detail/die.hpp"

namespace wakerbench::bench {

// Whether this process runs under valgrind (any tool: only callgrind acts on the requests below,
// and bench/count/collect.py refuses a run without a dump per benchmark).
inline bool under_valgrind() noexcept { return RUNNING_ON_VALGRIND != 0; }

class CountedRegion {
public:
    explicit CountedRegion(std::string name) : name_(std::move(name)) {
        if (!under_valgrind()) detail::die("wb_bench --count: a counted region outside valgrind (main() checks this first)");
        CALLGRIND_ZERO_STATS;
        CALLGRIND_TOGGLE_COLLECT;  // on: --collect-atstart=no left it off
    }
    CountedRegion(const CountedRegion&) = delete;
    CountedRegion& operator=(const CountedRegion&) = delete;
    ~CountedRegion() {
        if (!closed_) detail::die("wb_bench --count: a counted region was left without close(): its dump would be missing");
    }

    void close() {
        CALLGRIND_TOGGLE_COLLECT;  // off again
        CALLGRIND_DUMP_STATS_AT(name_.c_str());
        closed_ = true;
    }

private:
    std::string name_;
    bool closed_ = false;
};

}  // namespace wakerbench::bench
