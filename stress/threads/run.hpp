#pragma once
// One stress run: a channel of one row, the plan's parties on real threads and executors, a
// monitor that cancels tasks on the plan's schedule and watches for the run to stop moving, and
// the ledger's checks once everything has been joined and the channel destroyed.

#include <algorithm>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <exception>
#include <functional>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <thread>
#include <type_traits>
#include <utility>
#include <vector>

#include "context.hpp"
#include "faulty_sync.hpp"
#include "ledger.hpp"
#include "parties.hpp"
#include "plan.hpp"
#include "wakerbench/channel/channel_state.hpp"
#include "wakerbench/channel/handles.hpp"
#include "wakerbench/impl_info.hpp"
#include "wakerbench/runtime/run_loop.hpp"
#include "wakerbench/runtime/spawn.hpp"
#include "wakerbench/runtime/thread_pool.hpp"

namespace wakerbench::stress {

struct RunOptions {
    std::chrono::milliseconds stall{10000};  // no item moved for this long: a hang
    // Called with the watchdog's report when a run hangs; must not return (the parties cannot be
    // unblocked, so the process ends there).
    std::function<void(const std::string&)> on_hang;
};

struct RunOutcome {
    std::uint64_t items = 0;  // items created, each of whose fates was checked
    std::size_t cancels = 0;          // tasks the monitor cancelled before they finished
    std::size_t cancels_in_op = 0;    // ... of which were inside a channel operation at the time
    std::size_t failure_count = 0;
    std::vector<std::string> failures;  // the first few
};

namespace detail {

// `counted`: what PartyStatus::items counts for this role ("created", "received").
inline std::string status_line(const char* role, const char* counted, std::size_t i, const PartyPlan& plan, const PartyStatus& st) {
    std::ostringstream out;
    // relaxed: a report.
    out << "  " << role << ' ' << i << " (" << describe(plan) << "): " << name(st.phase.load(std::memory_order_relaxed)) << ", "
        << st.items.load(std::memory_order_relaxed) << " items " << counted;
    return out.str();
}

template <class Channel>
std::string hang_report(const RunContext& ctx, Channel& channel, std::chrono::milliseconds stall) {
    std::ostringstream out;
    const ChannelState s = channel.state();
    out << "HANG: no item moved for " << stall.count() << " ms (seed " << ctx.plan.seed << ": " << describe(ctx.plan) << ")\n"
        << "  channel: " << to_string(s) << '\n';
    // The signature of a lost wake-up: a waiter asleep although what it waits for is there, and
    // no wake-up on its way to anyone (pending counts exist on the mutex rows only).
    if (!s.lock_busy && s.queued > 0 && s.receivers_waiting > 0 && s.receivers_pending == 0)
        out << "  diagnosis: " << s.queued << " item(s) queued while " << s.receivers_waiting << " receiver(s) sleep with no wake-up pending: a lost wake-up\n";
    if (!s.lock_busy && ctx.plan.capacity > s.queued && s.senders_waiting > 0 && s.senders_pending == 0)
        out << "  diagnosis: " << ctx.plan.capacity - s.queued << " free slot(s) while " << s.senders_waiting << " sender(s) sleep with no wake-up pending: a lost wake-up\n";
    for (std::size_t i = 0; i < ctx.producers.size(); ++i) out << status_line("producer", "created", i, ctx.plan.producers[i], ctx.producers[i]) << '\n';
    for (std::size_t i = 0; i < ctx.consumers.size(); ++i) out << status_line("consumer", "received", i, ctx.plan.consumers[i], ctx.consumers[i]) << '\n';
    return out.str();
}

// A task the monitor cancels at a given time into the run.
struct CancelAt {
    std::uint32_t at_us;
    std::size_t task;
    PartyStatus* status;
};

// Cancels tasks on schedule and watches for the run to stop moving, until every party has gone.
template <class Channel>
void monitor(RunContext& ctx, std::vector<rt::JoinHandle<void>>& tasks, std::vector<CancelAt> cancels, Channel& channel,
             const RunOptions& options, RunOutcome& outcome) {
    using Clock = std::chrono::steady_clock;
    std::sort(cancels.begin(), cancels.end(), [](const CancelAt& a, const CancelAt& b) { return a.at_us < b.at_us; });
    const Clock::time_point started = Clock::now();
    std::uint64_t last_progress = ctx.ledger.progress();
    Clock::time_point last_change = started;
    std::size_t next_cancel = 0;
    // acquire: pairs with PartyExit's release, so a finished party's records are ours to read.
    while (ctx.parties_finished.load(std::memory_order_acquire) < ctx.parties()) {
        std::this_thread::sleep_for(std::chrono::microseconds(200));
        const Clock::time_point now = Clock::now();
        const auto elapsed_us = std::chrono::duration_cast<std::chrono::microseconds>(now - started).count();
        for (; next_cancel < cancels.size() && cancels[next_cancel].at_us <= elapsed_us; ++next_cancel) {
            const CancelAt& c = cancels[next_cancel];
            if (tasks[c.task].done()) continue;
            const Phase phase = c.status->phase.load(std::memory_order_relaxed);  // relaxed: a statistic
            outcome.cancels_in_op += phase == Phase::sending || phase == Phase::receiving;
            ++outcome.cancels;
            tasks[c.task].cancel();
        }
        if (const std::uint64_t p = ctx.ledger.progress(); p != last_progress) {
            last_progress = p;
            last_change = now;
        } else if (now - last_change > options.stall) {
            options.on_hang(hang_report(ctx, channel, options.stall));
            std::terminate();  // on_hang must not return
        }
    }
}

// Starts the plan's parties on a fresh channel of `Impl`, monitors them until they have all
// finished, and joins everything. When it returns the channel is gone, with whatever it held.
template <class Impl, class T>
void run_parties(RunContext& ctx, const RunOptions& options, RunOutcome& outcome) {
    const Plan& plan = ctx.plan;
    auto channel = make_channel<Impl, T>(plan.capacity ? Capacity(plan.capacity) : Capacity(unbounded));
    auto& [tx, rx] = channel;
    ChannelObserver observer(tx);  // declared first among the run's objects: it goes last

    std::optional<rt::ThreadPool> pool;
    std::vector<std::unique_ptr<rt::RunLoop>> loops;
    if (plan.any_async()) {
        if (plan.executor == Executor::thread_pool) pool.emplace(2);
        else
            for (std::size_t i = 0; i < plan.run_loops; ++i) loops.push_back(std::make_unique<rt::RunLoop>());
    }
    std::size_t next_loop = 0;
    auto executor = [&]() -> rt::Executor& {
        if (pool) return *pool;
        return *loops[next_loop++ % loops.size()];
    };

    std::vector<std::thread> threads;
    std::vector<rt::JoinHandle<void>> tasks;
    std::vector<CancelAt> cancels;
    // A party is a thread body or a task factory; each makes its PartyExit only when it runs.
    auto start = [&](bool consumer, std::size_t i, const PartyPlan& party, auto&& on_thread, auto&& in_task) {
        if (party.api != Api::async) {
            threads.emplace_back(std::move(on_thread));
            return;
        }
        tasks.push_back(rt::spawn(executor(), in_task()));
        if (party.cancel_at_us) cancels.push_back({*party.cancel_at_us, tasks.size() - 1, consumer ? &ctx.consumers[i] : &ctx.producers[i]});
    };
    for (std::size_t i = 0; i < plan.producers.size(); ++i)
        start(false, i, plan.producers[i],
              [tx = tx, &ctx, i]() mutable { produce_on_thread(std::move(tx), PartyExit(ctx, false, i), ctx, i); },
              [&] { return produce_in_task(tx.async(), PartyExit(ctx, false, i), ctx, i); });
    for (std::size_t i = 0; i < plan.consumers.size(); ++i)
        start(true, i, plan.consumers[i],
              [rx = rx, &ctx, i]() mutable { consume_on_thread(std::move(rx), PartyExit(ctx, true, i), ctx, i); },
              [&] { return consume_in_task(rx.async(), PartyExit(ctx, true, i), ctx, i); });
    // Run loops run only what was spawned before they start: every task is in by now.
    for (auto& loop : loops) threads.emplace_back([l = loop.get()] { l->run(); });
    { auto ours = std::move(channel); }  // from now on the parties alone hold the channel open

    monitor(ctx, tasks, std::move(cancels), observer.channel(), options, outcome);

    for (std::thread& t : threads) t.join();
    for (auto& task : tasks) {
        task.wait();  // a cancelled task's frame is gone before it counts as done
        if (task.cancelled()) continue;
        try {
            task.get();
        } catch (const std::exception& e) {
            ctx.ledger.fail(std::string("a task threw: ") + e.what());
        }
    }
}

}  // namespace detail

template <class Row, class Sync>
RunOutcome run_plan(const Plan& plan, const RunOptions& options) {
    // Payloads that count their destructors where the row can carry them; plain ids otherwise.
    using T = std::conditional_t<Row::template supports_payload<Tracked>, Tracked, Plain>;

    // Per-producer FIFO holds for every row as long as each producer stays on one thread; a row
    // that orders only per sending thread is exempt when tasks migrate across a pool.
    const bool pinned = plan.executor == Executor::run_loops || !plan.any_async();
    Ledger ledger(plan.producers.size(), plan.items_per_producer, Row::info.order == Order::fifo || pinned);
    detail::current_ledger = &ledger;
    detail::live_payloads.store(0, std::memory_order_relaxed);  // relaxed: no party runs yet
    RunContext ctx(plan, ledger);
    RunOutcome outcome;
    detail::run_parties<WithSync<Row, Sync>, T>(ctx, options, outcome);

    std::vector<std::uint32_t> created;
    std::vector<std::pair<std::uint32_t, std::uint32_t>> in_flight;
    for (const PartyStatus& st : ctx.producers) {  // relaxed: every writer has been joined
        created.push_back(static_cast<std::uint32_t>(st.items.load(std::memory_order_relaxed)));
        if (st.cancelled.load(std::memory_order_relaxed))
            in_flight.emplace_back(st.in_flight_first.load(std::memory_order_relaxed), st.in_flight_last.load(std::memory_order_relaxed));
        else
            in_flight.emplace_back(0, 0);
    }
    ledger.verify<kCountsDrops<T>>(created, in_flight);
    if (const std::int64_t live = detail::live_payloads.load(std::memory_order_relaxed); kCountsDrops<T> && live != 0)
        ledger.fail(std::to_string(live) + " payload objects were never destroyed (leaked by the channel, or destroyed twice if negative)");
    detail::current_ledger = nullptr;

    outcome.items = ctx.created_total.load(std::memory_order_relaxed);
    outcome.failure_count = ledger.failure_count();
    outcome.failures = ledger.failures();
    return outcome;
}

}  // namespace wakerbench::stress
