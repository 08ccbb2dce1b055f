#pragma once
// What wb_bench writes about the registry and the workloads into its JSON context, so the report
// takes the rows' order, kinds and descriptions, and each workload's shape, from the results
// themselves and keeps no list of its own. Google Benchmark's context holds strings: each value
// here is a JSON document in a string (the report parses it).
//
//   wakerbench_impls      [{name, list: row|baseline|peer, core: mutex|lockfree|own, wake: one|all,
//                           storage, cancel, allocation, order, payload, capabilities...}] in
//                           registry order (rows, baselines, peers)
//   wakerbench_waitlists  the wait-list microbenchmarks' strategies, in the order they are registered
//   wakerbench_workloads  [{name, family, width, producers, consumers, threads, waiting_dominates,
//                           on_pool}] for every workload this machine registers

#include <nlohmann/json.hpp>

#include <string>
#include <string_view>

#include "machine.hpp"
#include "spec.hpp"
#include "waitlist/strategies.hpp"
#include "wakerbench/registry.hpp"

namespace wakerbench::bench {

template <class List>
void append_impls(nlohmann::json& out, std::string_view list) {
    [&]<std::size_t... I>(std::index_sequence<I...>) {
        auto one = [&]<class Row>() {
            const ImplInfo& i = Row::info;
            out.push_back({
                {"name", i.name},
                {"list", list},
                {"core", core_of<Row>()},
                {"wake", i.wake == WakePolicy::one ? "one" : "all"},
                {"storage", i.storage},
                {"cancel", i.cancel},
                {"allocation", i.allocation},
                {"order", describe(i.order)},
                {"payload", i.payload == PayloadLimit::trivially_copyable ? "trivially_copyable" : "nothrow_movable"},
                {"bounded", i.bounded},
                {"unbounded", i.unbounded},
                {"sync_api", i.sync_api},
                {"async_api", i.async_api},
                {"batches", i.batches},
                {"timed_waits", i.timed_waits},
                {"close", i.close},
                {"cancellation", i.cancellation},
            });
        };
        (one.template operator()<typename List::template at<I>>(), ...);
    }(std::make_index_sequence<List::size>{});
}

inline std::string impls_context() {
    nlohmann::json impls = nlohmann::json::array();
    append_impls<Rows>(impls, "row");
    append_impls<Baselines>(impls, "baseline");
    append_impls<Peers>(impls, "peer");
    return impls.dump();
}

// The mutex rows' wait lists, then the lock-free rows' event count (waitlist/bench.cpp's order).
inline std::string waitlists_context() {
    nlohmann::json names = nlohmann::json::array();
    for (const ImplInfo& i : MutexRows::infos) names.push_back(i.name);
    names.push_back(waitlist::EventCountStrategy::kName);
    return names.dump();
}

inline std::string workloads_context(const Machine& machine) {
    nlohmann::json out = nlohmann::json::array();
    for (const Workload& w : all_workloads(machine)) {
        const Shape s = shape_of(w);
        out.push_back({
            {"name", w.name()},
            {"family", name_of(w.family)},
            {"width", w.width},
            {"producers", s.producers},
            {"consumers", s.consumers},
            {"threads", threads_of(w, machine)},
            {"waiting_dominates", parks_coroutines(w.family)},
            {"on_pool", on_pool(w.family)},
        });
    }
    return out.dump();
}

}  // namespace wakerbench::bench
