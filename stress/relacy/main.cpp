// wb_modelcheck: runs the Relacy checks (checks.cpp) and the seeded bugs, prints what it found,
// and writes a JSON record per implementation x scenario for the report.

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <sstream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "checks.hpp"
#include "common/output_file.hpp"

namespace fs = std::filesystem;
using nlohmann::json;
using namespace wakerbench;
using namespace wakerbench::modelcheck;

namespace {

constexpr const char* kUsage = R"(usage: wb_modelcheck [options]

Model-checks the channels' wait/notify, close and cancellation protocols with Relacy: every
implementation x scenario must pass, and every seeded bug must be found.

  --list              list implementations (with what the model covers), scenarios and seeded bugs
  --impl NAME         only this implementation (its checks and its seeded bugs)
  --scenario NAME     only this scenario
  --budget ci|deep    ci (default): the random scheduler, 200,000 iterations per check, then on
                      the small models the context-bound scheduler (every schedule with at most
                      one preemption); deep: 5,000,000 random iterations per check, then bounds
                      1 and 2 on the small models
  --seeded yes|no|only  run the seeded bugs too (default yes), skip them, or run only them
  --json FILE         write one record per check and per seeded bug (written whole at the end)
  --history-dir DIR   where Relacy's report of each failing execution goes
                      (default: modelcheck-history/ next to --json FILE, else in the current directory)
  --help              this text

Exit status: 0 when every check passed and every seeded bug was found; 1 otherwise; 2 on bad usage.
)";

struct Budget {
    std::string name;
    std::vector<Pass> checks;      // passes for the real code
    std::vector<Pass> exhaustive;  // then these, for checks whose model is small (Check::small)
    std::vector<Pass> seeded;      // passes that must find each seeded bug (they stop at the first failure)

    [[nodiscard]] std::vector<Pass> for_check(const Check& c) const {
        std::vector<Pass> passes = checks;
        if (c.small) passes.insert(passes.end(), exhaustive.begin(), exhaustive.end());
        return passes;
    }
};

// Figures from this 2-core machine: the random scheduler runs 50,000 to 200,000 iterations a
// second on these models. The context-bound scheduler explores every schedule with at most that
// many preemptions: at bound 1 the small models take 0.003 to 5.5 s, at bound 2 0.06 to 26 s, and
// 282 s for lockfree/spsc_fifo; the others run for minutes even at bound 1. Relacy's
// full search did not finish the smallest model (intrusive/spsc_fifo) in 2 minutes.
Budget budget_named(const std::string& name) {
    if (name == "ci")
        return {"ci", {{Search::random, 200'000, 0}}, {{Search::context_bound, 0, 1}}, {{Search::random, 2'000'000, 0}}};
    if (name == "deep")
        return {"deep",
                {{Search::random, 5'000'000, 0}},
                {{Search::context_bound, 0, 1}, {Search::context_bound, 0, 2}},
                {{Search::random, 20'000'000, 0}}};
    throw std::invalid_argument("unknown budget '" + name + "'; valid: ci, deep");
}

struct Options {
    bool list = false;
    std::optional<std::string> impl, scenario, json_path, history_dir;
    Budget budget = budget_named("ci");
    std::string seeded = "yes";
};

[[noreturn]] void usage_error(const std::string& message) {
    std::cerr << "wb_modelcheck: " << message << "\n(see wb_modelcheck --help)\n";
    std::exit(2);
}

std::string join(const std::set<std::string>& names) {
    std::string out;
    for (const auto& n : names) out += (out.empty() ? "" : ", ") + n;
    return out;
}

std::set<std::string> impl_names() {
    std::set<std::string> s;
    for (const Check& c : checks()) s.insert(c.impl);
    return s;
}
std::set<std::string> scenario_names() {
    std::set<std::string> s;
    for (const Check& c : checks()) s.insert(c.scenario);
    return s;
}

Options parse(int argc, char** argv) {
    Options o;
    auto value = [&](int& i) -> std::string {
        const std::string flag = argv[i];
        if (i + 1 >= argc) usage_error(flag + " needs a value");
        return argv[++i];
    };
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        if (a == "--help" || a == "-h") {
            std::cout << kUsage;
            std::exit(0);
        } else if (a == "--list") o.list = true;
        else if (a == "--impl") o.impl = value(i);
        else if (a == "--scenario") o.scenario = value(i);
        else if (a == "--budget") {
            try {
                o.budget = budget_named(value(i));
            } catch (const std::invalid_argument& e) {
                usage_error(e.what());
            }
        }
        else if (a == "--seeded") o.seeded = value(i);
        else if (a == "--json") o.json_path = value(i);
        else if (a == "--history-dir") o.history_dir = value(i);
        else usage_error("unknown argument '" + a + "'");
    }
    if (o.impl && !impl_names().contains(*o.impl))
        usage_error("unknown implementation '" + *o.impl + "'; valid: " + join(impl_names()));
    if (o.scenario && !scenario_names().contains(*o.scenario))
        usage_error("unknown scenario '" + *o.scenario + "'; valid: " + join(scenario_names()));
    if (o.seeded != "yes" && o.seeded != "no" && o.seeded != "only")
        usage_error("--seeded takes yes, no or only, not '" + o.seeded + "'");
    // Checked now, before minutes of checking, not when the first history or the summary is due.
    if (o.json_path)
        if (const std::string why = tools::why_not_writable(*o.json_path); !why.empty()) usage_error("--json: " + why);
    if (o.history_dir)
        if (const std::string why = tools::why_not_a_directory(*o.history_dir); !why.empty()) usage_error("--history-dir: " + why);
    return o;
}

bool selected(const Options& o, const std::string& impl, const std::string& scenario) {
    return (!o.impl || *o.impl == impl) && (!o.scenario || *o.scenario == scenario);
}

const Check& find_check(const std::string& impl, const std::string& scenario) {
    for (const Check& c : checks())
        if (c.impl == impl && c.scenario == scenario) return c;
    throw std::logic_error("seeded bug names a check that does not exist: " + impl + "/" + scenario);
}

void list() {
    std::cout << "implementations (and what the model covers):\n";
    std::set<std::string> seen;
    for (const Check& c : checks())
        if (seen.insert(c.impl).second) std::cout << "  " << std::left << std::setw(10) << c.impl << " " << c.boundary << "\n";
    std::cout << "scenarios:\n";
    for (const auto& s : scenario_names()) std::cout << "  " << s << "\n";
    std::cout << "seeded bugs (each must be found where listed):\n";
    for (const SeededBug& b : seeded_bugs())
        std::cout << "  " << std::left << std::setw(28) << fault_name(b.fault) << " " << std::setw(40) << (b.impl + "/" + b.scenario)
                  << " " << fault_summary(b.fault) << "\n";
}

// What one run of a check or a seeded bug came to.
struct Record {
    std::string kind;  // "check" or "seeded_bug"
    const Check* check;
    Fault fault;
    Outcome outcome;
    std::string history_path;

    [[nodiscard]] bool expected() const { return kind == "check" ? !outcome.failed : outcome.failed; }
    [[nodiscard]] std::string verdict() const {
        if (kind == "check") return outcome.failed ? "failed" : "passed";
        return outcome.failed ? "found" : "missed";
    }
    [[nodiscard]] std::uint64_t iterations() const {
        std::uint64_t n = 0;
        for (const auto& p : outcome.passes) n += p.iterations;
        return n;
    }
    // "random scheduler + context bound scheduler (7040)": the passes run, with the iterations
    // of the exhaustive ones (the random ones ran their budget unless they failed).
    [[nodiscard]] std::string searches() const {
        std::string s;
        for (const auto& p : outcome.passes)
            s += (s.empty() ? "" : " + ") + std::string(search_name(p.search)) +
                 (p.search == Search::context_bound ? " (" + std::to_string(p.iterations) + ")" : "");
        return s;
    }
    [[nodiscard]] double seconds() const {
        double s = 0;
        for (const auto& p : outcome.passes) s += p.seconds;
        return s;
    }
};

json to_json(const Record& r) {
    json passes = json::array();
    for (const auto& p : r.outcome.passes)
        passes.push_back({{"search", search_name(p.search)},
                          {"relacy_result", p.relacy_result},
                          {"iterations", p.iterations},
                          {"seconds", p.seconds}});
    const PassResult& last = r.outcome.passes.back();
    json j{{"kind", r.kind},
           {"impl", r.check->impl},
           {"scenario", r.check->scenario},
           {"fault", r.fault == Fault::none ? json(nullptr) : json(fault_name(r.fault))},
           {"expected", r.kind == "check" ? "pass" : "found"},
           {"result", r.verdict()},
           {"ok", r.expected()},
           {"relacy_result", last.relacy_result},
           {"search", search_name(last.search)},
           {"iterations", r.iterations()},
           {"seconds", r.seconds()},
           {"passes", passes},
           {"history", r.history_path.empty() ? json(nullptr) : json(r.history_path)}};
    if (r.fault != Fault::none) j["fault_summary"] = fault_summary(r.fault);
    return j;
}

std::string slug(const Record& r) {
    std::string s = r.check->impl + "." + r.check->scenario;
    if (r.fault != Fault::none) s += std::string(".seeded.") + fault_name(r.fault);
    return s;
}

void write_file(const fs::path& path, const std::string& text) {
    std::ofstream out(path, std::ios::trunc);
    out << text;
    if (!out.flush()) throw std::runtime_error("cannot write " + path.string());
}

}  // namespace

int main(int argc, char** argv) try {
    const Options opt = parse(argc, argv);
    if (opt.list) {
        list();
        return 0;
    }
    const Budget& budget = opt.budget;
    const fs::path history_dir = opt.history_dir ? fs::path(*opt.history_dir)
                                 : opt.json_path   ? fs::path(*opt.json_path).parent_path() / "modelcheck-history"
                                                   : fs::path("modelcheck-history");

    // The plan: checks, then seeded bugs, in table order.
    std::vector<Record> plan;
    if (opt.seeded != "only")
        for (const Check& c : checks())
            if (selected(opt, c.impl, c.scenario)) plan.push_back({"check", &c, Fault::none, {}, {}});
    if (opt.seeded != "no")
        for (const SeededBug& b : seeded_bugs())
            if (selected(opt, b.impl, b.scenario)) plan.push_back({"seeded_bug", &find_check(b.impl, b.scenario), b.fault, {}, {}});
    if (plan.empty()) usage_error("nothing selected: no check or seeded bug matches --impl/--scenario/--seeded");

    std::set<std::string> impls_run;
    for (const Record& r : plan) impls_run.insert(r.check->impl);
    std::cout << "wb_modelcheck: budget " << budget.name << ", " << plan.size() << " runs\n";
    for (const Check& c : checks())
        if (impls_run.erase(c.impl)) std::cout << "  " << c.impl << " checks: " << c.boundary << "\n";

    const auto start = std::chrono::steady_clock::now();
    int bad = 0, index = 0;
    for (Record& r : plan) {
        ++index;
        const bool seeded = r.kind == "seeded_bug";
        std::cout << "[" << index << "/" << plan.size() << "] " << (seeded ? "seeded " + std::string(fault_name(r.fault)) + " in " : "")
                  << r.check->impl << "/" << r.check->scenario << " ... " << std::flush;
        r.outcome = run_check(*r.check, r.fault, seeded ? budget.seeded : budget.for_check(*r.check));
        const PassResult& last = r.outcome.passes.back();
        if (r.outcome.failed) {
            fs::create_directories(history_dir);
            r.history_path = (history_dir / (slug(r) + ".txt")).string();
            write_file(r.history_path, r.outcome.history);
        }
        std::cout << (r.expected() ? "" : "UNEXPECTEDLY ") << r.verdict() << ": " << last.relacy_result << ", "
                  << r.searches() << ", " << r.iterations() << " iterations, " << std::fixed << std::setprecision(2)
                  << r.seconds() << " s" << (r.history_path.empty() ? "" : ", history: " + r.history_path) << "\n";
        if (!r.expected()) {
            ++bad;
            if (!seeded) std::cout << "---- Relacy's report of the failing execution ----\n" << r.outcome.history << "----\n";
            else std::cout << "  the checker did not find this seeded bug: the scenario or the budget no longer covers it\n";
        }
    }

    int checks_passed = 0, checks_failed = 0, bugs_found = 0, bugs_seeded = 0;
    json records = json::array();
    for (const Record& r : plan) {
        records.push_back(to_json(r));
        if (r.kind == "check") (r.expected() ? checks_passed : checks_failed) += 1;
        else {
            ++bugs_seeded;
            bugs_found += r.expected();
        }
    }
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    if (opt.json_path) {
        json boundary = json::object();
        for (const Check& c : checks()) boundary[c.impl] = c.boundary;
        const json doc{{"tool", "wb_modelcheck"},
                       {"schema", 1},
                       {"budget", budget.name},
                       {"seconds", seconds},
                       {"boundary", boundary},
                       {"records", records},
                       {"summary",
                        {{"checks_passed", checks_passed},
                         {"checks_failed", checks_failed},
                         {"seeded_bugs", bugs_seeded},
                         {"seeded_bugs_found", bugs_found}}}};
        std::string error;
        if (!tools::write_whole(*opt.json_path, doc.dump(2) + "\n", error)) throw std::runtime_error(error);
        std::cout << "wrote " << *opt.json_path << "\n";
    }
    std::cout << "seeded bugs: " << bugs_found << " of " << bugs_seeded << " found; " << std::fixed << std::setprecision(1) << seconds
              << " s in all\n";
    std::cout << "modelcheck: " << checks_passed + bugs_found << " passed, " << bad << " failed\n";
    return bad == 0 ? 0 : 1;
} catch (const std::exception& e) {
    std::cerr << "wb_modelcheck: " << e.what() << "\n";
    return 1;
}
