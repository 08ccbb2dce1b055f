#pragma once
// --min_time_for=SECONDS:REGEX (wb_bench's own flag, repeatable; scripts/sweep passes it): every
// benchmark whose name matches REGEX (POSIX extended, as --benchmark_filter) runs each repetition
// for at least SECONDS instead of --benchmark_min_time. The sweep gives the points its decision box
// scores longer repetitions than the rest of the matrix: on a 2-core VM a 20 ms repetition of a
// point where threads hand items over catches one scheduling regime, a 100 ms one several
// (bench/sweep/README.md, "Measurement").

#include <benchmark/benchmark.h>
#include <regex.h>

#include <cstdlib>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace wakerbench::bench {

class MinTimeRule {
public:
    // Parses "SECONDS:REGEX"; nothing (and `error` says why) if it is not one.
    static std::optional<MinTimeRule> parse(std::string_view text, std::string& error) {
        const auto colon = text.find(':');
        if (colon == std::string_view::npos) {
            error = "expected SECONDS:REGEX, e.g. --min_time_for=0.1:^spsc/";
            return std::nullopt;
        }
        const std::string seconds_text(text.substr(0, colon));
        char* end = nullptr;
        const double seconds = std::strtod(seconds_text.c_str(), &end);
        if (seconds_text.empty() || *end != '\0' || !(seconds > 0) || seconds > 60) {
            error = "'" + seconds_text + "' is not a number of seconds between 0 and 60";
            return std::nullopt;
        }
        const std::string pattern(text.substr(colon + 1));
        auto* regex = new regex_t{};
        if (const int rc = regcomp(regex, pattern.c_str(), REG_EXTENDED | REG_NOSUB); rc != 0) {
            char why[256];
            regerror(rc, regex, why, sizeof why);
            delete regex;  // regcomp failed: nothing to regfree
            error = "'" + pattern + "' is not a POSIX extended regex: " + why;
            return std::nullopt;
        }
        return MinTimeRule(seconds, std::shared_ptr<regex_t>(regex, [](regex_t* r) {
                               regfree(r);
                               delete r;
                           }));
    }

    [[nodiscard]] double seconds() const noexcept { return seconds_; }
    [[nodiscard]] bool matches(const std::string& name) const { return regexec(regex_.get(), name.c_str(), 0, nullptr, 0) == 0; }

private:
    MinTimeRule(double seconds, std::shared_ptr<regex_t> regex) : seconds_(seconds), regex_(std::move(regex)) {}

    double seconds_;
    std::shared_ptr<regex_t> regex_;  // shared: rules are copied into the list; compiled once
};

// The rules, in the order given; set by main() before anything is registered.
inline std::vector<MinTimeRule>& min_time_rules() {
    static std::vector<MinTimeRule> rules;
    return rules;
}

// Gives `b` (registered as `name`) the first matching rule's min time; returns b.
inline benchmark::internal::Benchmark* with_min_time(benchmark::internal::Benchmark* b, const std::string& name) {
    for (const MinTimeRule& rule : min_time_rules())
        if (rule.matches(name)) return b->MinTime(rule.seconds());
    return b;
}

}  // namespace wakerbench::bench
