#pragma once
// What the Relacy translation unit (checks.cpp) offers the command line (main.cpp), in plain C++:
// Relacy's macros stay on its side of this header.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "wakerbench/sync/faults.hpp"

namespace wakerbench::modelcheck {

enum class Search { random, context_bound };
std::string_view search_name(Search s) noexcept;  // Relacy's own names ("random scheduler", ...)

// One run of Relacy's search: the random scheduler stops after `iterations`; the context-bound
// scheduler when it has explored every schedule with at most `context_bound` preemptions.
struct Pass {
    Search search;
    std::uint64_t iterations = 0;
    unsigned context_bound = 0;
};

struct PassResult {
    Search search;
    bool failed = false;
    std::string relacy_result;  // "SUCCESS", "DEADLOCK", "DATA RACE", "USER ASSERT FAILED", ...
    std::uint64_t iterations = 0;  // explored, or the one that failed
    double seconds = 0;
};

// The passes run in order and stop at the first failure.
struct Outcome {
    std::vector<PassResult> passes;
    bool failed = false;
    std::string history;  // Relacy's report of the failing execution, when failed
};

struct Check {
    std::string impl;
    std::string scenario;
    std::string boundary;  // what the model covers, for the output and the docs
    bool small = false;    // small enough for the context-bound scheduler (see main.cpp's budgets)
};

// Every implementation x scenario the checker has.
const std::vector<Check>& checks();

// A seeded bug and where it must be found.
struct SeededBug {
    Fault fault;
    std::string impl;
    std::string scenario;
};
// One line on what the seeded mistake is (the long story is in sync/faults.hpp).
std::string_view fault_summary(Fault f) noexcept;
const std::vector<SeededBug>& seeded_bugs();

// Runs one check with `fault` armed (Fault::none for the real code). Precondition: the check exists.
Outcome run_check(const Check& check, Fault fault, const std::vector<Pass>& passes);

}  // namespace wakerbench::modelcheck
