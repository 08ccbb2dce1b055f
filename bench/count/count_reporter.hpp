#pragma once
// CountReporter: what wb_bench --count reports, in place of Google Benchmark's console and JSON
// reporters: per benchmark its name, registration index, counters (ops_counted or msgs_counted)
// and n/a reason, and the context wb_bench records, as one JSON document on stdout when the run
// ends. Nothing timed.
//
// Why not Google Benchmark's own reporters: the times they print are those of the parent waiting
// for a counting child (zygote.hpp), under valgrind: nothing a reader should take for a
// measurement. (Before points ran in children of their own, those reporters' allocations, sized by
// the times, also moved the next point's counts: the heap it started from changed with them.)

#include <benchmark/benchmark.h>
#include <nlohmann/json.hpp>

#include <string>
#include <utility>
#include <vector>

namespace wakerbench::bench {

// wb_bench's own context entries (main.cpp records each here and in Google Benchmark's context).
inline std::vector<std::pair<std::string, std::string>>& own_context() {
    static std::vector<std::pair<std::string, std::string>> entries;
    return entries;
}

class CountReporter final : public benchmark::BenchmarkReporter {
public:
    bool ReportContext(const Context&) override { return true; }

    void ReportRuns(const std::vector<Run>& runs) override {
        for (const Run& run : runs) {
            nlohmann::json entry{{"name", run.benchmark_name()},
                                 {"run_name", run.run_name.str()},
                                 {"run_type", run.run_type == Run::RT_Iteration ? "iteration" : "aggregate"},
                                 {"family_index", run.family_index},
                                 {"repetition_index", run.repetition_index}};
            if (run.error_occurred) {
                entry["error_occurred"] = true;
                entry["error_message"] = run.error_message;
            }
            for (const auto& [name, counter] : run.counters) entry[name] = counter.value;
            benchmarks_.push_back(std::move(entry));
        }
    }

    void Finalize() override {
        nlohmann::json context = nlohmann::json::object();
        for (const auto& [key, value] : own_context()) context[key] = value;
        GetOutputStream() << nlohmann::json{{"context", context}, {"benchmarks", benchmarks_}}.dump(1) << '\n';
    }

private:
    nlohmann::json benchmarks_ = nlohmann::json::array();
};

}  // namespace wakerbench::bench
