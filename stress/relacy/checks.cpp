// The one translation unit that includes Relacy: the scenario x implementation table and the
// runner around rl::simulate.

#include "checks.hpp"          // plain C++ only
#include "relacy_prelude.hpp"  // then Relacy, after every other header it could rewrite
#include "parker_scenarios.hpp"
#include "runtime_scenarios.hpp"
#include "scenarios.hpp"
#include "standin_queue.hpp"

namespace wakerbench::modelcheck {
namespace {

using LockFreeModel = LockFreeChannel<int, StandInQueue<int>, RelacySync>;

constexpr const char* kMutexBoundary = "the row's code as shipped: MutexChannel over its wait list, parkers modelled";
constexpr const char* kLockFreeBoundary =
    "LockFreeChannel's protocol (ready/free counters, event counts, close by counting, pass-on) over a "
    "Relacy-instrumented stand-in queue; moodycamel and Boost.Lockfree internals are NOT checked";

constexpr const char* kRuntimeBoundary =
    "the task runtime as shipped (task state machine, run queue, RunLoop on 1 or 2 executor threads, spawn, "
    "JoinHandle) with real coroutines on the intrusive row; ThreadPool's slots and steal are NOT modelled";
constexpr const char* kParkerBoundary =
    "ThreadParker and DeadlineParker as shipped, over a modelled futex and clock (a deadline may pass at any step)";

using Runner = PassResult (*)(const Pass&, std::string& history);

// Collects Relacy's report. Relacy writes it while its context (and so its replacement operator
// new/delete) is live, and a std::ostringstream would then free a buffer it allocated outside that
// context through Relacy's allocator: this one grows with malloc, which Relacy leaves alone.
class ReportBuffer : public std::streambuf {
public:
    ReportBuffer() = default;
    ReportBuffer(const ReportBuffer&) = delete;
    ReportBuffer& operator=(const ReportBuffer&) = delete;
    ~ReportBuffer() override { std::free(data_); }
    [[nodiscard]] std::string str() const { return std::string(data_ ? data_ : "", size_); }

protected:
    int_type overflow(int_type c) override {
        if (c == traits_type::eof()) return traits_type::not_eof(c);
        const char ch = traits_type::to_char_type(c);
        return xsputn(&ch, 1) == 1 ? c : traits_type::eof();
    }
    std::streamsize xsputn(const char* s, std::streamsize n) override {
        if (size_ + n > capacity_) {
            const std::size_t grown = std::max<std::size_t>(2 * capacity_, size_ + n + 4096);
            char* p = static_cast<char*>(std::realloc(data_, grown));
            if (!p) return 0;
            data_ = p;
            capacity_ = grown;
        }
        std::memcpy(data_ + size_, s, static_cast<std::size_t>(n));
        size_ += static_cast<std::size_t>(n);
        return n;
    }

private:
    char* data_ = nullptr;
    std::size_t size_ = 0;
    std::size_t capacity_ = 0;
};

template <class Test>
PassResult simulate(const Pass& pass, std::string& history) {
    rl::test_params params;
    ReportBuffer report_buffer, progress_buffer;  // progress is dropped: the caller reports per pass
    std::ostream report(&report_buffer), progress(&progress_buffer);
    params.output_stream = &report;
    params.progress_stream = &progress;
    switch (pass.search) {
        case Search::random:
            params.search_type = rl::random_scheduler_type;
            params.iteration_count = pass.iterations;
            break;
        case Search::context_bound:
            params.search_type = rl::fair_context_bound_scheduler_type;
            params.context_bound = pass.context_bound;
            break;
    }
    const auto start = std::chrono::steady_clock::now();
    const bool passed = rl::simulate<Test>(params);
    PassResult r;
    r.search = pass.search;
    r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    r.failed = !passed;
    r.relacy_result = rl::test_result_str(params.test_result);
    r.iterations = params.stop_iteration;
    if (r.failed) history = report_buffer.str();
    return r;
}

struct Entry {
    Check check;
    Runner run;
};

template <class Chan>
void add_channel_scenarios(std::vector<Entry>& out, const std::string& impl, const char* boundary, bool lockfree) {
    auto add = [&](const char* scenario, Runner run, bool small) { out.push_back({{impl, scenario, boundary, small}, run}); };
    // small: the context-bound scheduler finishes bound 1 in at most 5.5 s for every row here (on
    // this 2-core machine); the others took from 6 s to well over 90 s.
    add("spsc_fifo", &simulate<SpscFifo<Chan>>, true);
    add("mpmc_exactly_once", &simulate<MpmcExactlyOnce<Chan>>, false);
    add("close_wakes_receivers", &simulate<CloseWakesReceivers<Chan>>, true);
    add("last_receiver_wakes_senders", &simulate<LastReceiverWakesSenders<Chan>>, false);
    add("cancel_after_notify_passes_on", &simulate<CancelAfterNotifyPassesOn<Chan>>, true);
    add("batch_partial", &simulate<BatchPartial<Chan>>, true);
    add("relink_after_cancel", &simulate<RelinkAfterCancel<Chan>>, false);
    add("wake_rounds_with_cancel", &simulate<WakeRoundsWithCancel<Chan>>, false);
    if (lockfree) add("notify_all_vs_relink", &simulate<EventCountNotifyAllVsRelink<Chan>>, false);
    else add("notify_all_vs_relink", &simulate<NotifyAllVsRelink<Chan>>, false);
}

template <class... Rows>
struct MutexModels {
    static void add(std::vector<Entry>& t) {
        (add_channel_scenarios<typename Rows::template channel<int, RelacySync>>(t, std::string(Rows::info.name), kMutexBoundary, false), ...);
    }
};

const std::vector<Entry>& entries() {
    static const std::vector<Entry> table = [] {
        std::vector<Entry> t;
        // Every mutex row of the registry, its own code under RelacySync; then the lock-free core once.
        MutexRows::apply<MutexModels>::add(t);
        add_channel_scenarios<LockFreeModel>(t, "lockfree", kLockFreeBoundary, true);
        // The code every row shares but no channel scenario reaches often: the task runtime, and
        // the parkers' own protocol.
        using Chan = RuntimeChan;
        t.push_back({{"runtime", "task_woken_while_running", kRuntimeBoundary, true}, &simulate<TaskWakeOneExecutor<Chan>>});
        t.push_back({{"runtime", "task_on_two_executors", kRuntimeBoundary, false}, &simulate<TaskWakeTwoExecutors<Chan>>});
        t.push_back({{"runtime", "task_cancelled_while_woken", kRuntimeBoundary, false}, &simulate<TaskCancelledWhileWoken<Chan>>});
        t.push_back({{"parkers", "thread_parker_handoff", kParkerBoundary, true}, &simulate<ThreadParkerHandoff>});
        t.push_back({{"parkers", "deadline_parker_handoff", kParkerBoundary, true}, &simulate<DeadlineParkerHandoff>});
        return t;
    }();
    return table;
}

}  // namespace

std::string_view search_name(Search s) noexcept {
    switch (s) {
        case Search::random: return rl::format(rl::random_scheduler_type);
        case Search::context_bound: return rl::format(rl::fair_context_bound_scheduler_type);
    }
    return "?";
}

const std::vector<Check>& checks() {
    static const std::vector<Check> all = [] {
        std::vector<Check> c;
        for (const Entry& e : entries()) c.push_back(e.check);
        return c;
    }();
    return all;
}

// Each fault where it is meant to be caught, plus enough pairs that every scenario and every row
// is shown able to fail. Every mutex row of the registry, a new one included, also gets the two
// faults of the core it shares: the lost wake-up of a waiter that links without re-checking, and,
// in a wake-one row, a cancelled waiter that keeps the wake-up it was handed.
const std::vector<SeededBug>& seeded_bugs() {
    static const std::vector<SeededBug> bugs = [] {
        std::vector<SeededBug> b{
        {Fault::link_without_recheck, "intrusive", "spsc_fifo"},
        {Fault::link_without_recheck, "lockfree", "spsc_fifo"},
        {Fault::cancel_without_pass_on, "slab", "cancel_after_notify_passes_on"},
        {Fault::cancel_without_pass_on, "lockfree", "cancel_after_notify_passes_on"},
        {Fault::unlink_outside_lock, "intrusive", "cancel_after_notify_passes_on"},
        {Fault::unlink_outside_lock, "lockfree", "cancel_after_notify_passes_on"},
        {Fault::wake_all_ignores_mark, "lockfree", "notify_all_vs_relink"},
        {Fault::eventcount_weak_order, "lockfree", "spsc_fifo"},
        {Fault::close_overtakes_data, "vec", "close_wakes_receivers"},
        {Fault::close_overtakes_data, "lockfree", "close_wakes_receivers"},
        {Fault::link_without_recheck, "vec_reuse", "mpmc_exactly_once"},
        {Fault::close_overtakes_data, "lockfree", "mpmc_exactly_once"},
        {Fault::link_without_recheck, "vec", "last_receiver_wakes_senders"},
        {Fault::eventcount_weak_order, "lockfree", "last_receiver_wakes_senders"},
        {Fault::link_without_recheck, "slab", "batch_partial"},
        {Fault::link_without_recheck, "lockfree", "batch_partial"},
        {Fault::close_overtakes_data, "intrusive", "notify_all_vs_relink"},
        {Fault::reused_key_out_of_turn, "slab", "relink_after_cancel"},
        {Fault::wake_round_forgets_senders, "intrusive", "last_receiver_wakes_senders"},
        {Fault::wake_round_forgets_senders, "parking_lot", "last_receiver_wakes_senders"},
        {Fault::drained_reads_count_first, "lockfree", "close_wakes_receivers"},
        {Fault::drained_reads_count_first, "lockfree", "mpmc_exactly_once"},
        {Fault::drop_without_withdraw, "intrusive", "cancel_after_notify_passes_on"},
        {Fault::unpark_notifies_first, "parkers", "thread_parker_handoff"},
        {Fault::timeout_overwrites_wake, "parkers", "deadline_parker_handoff"},
        // The channel checks park on the same parkers: their scenarios find the parkers' faults too.
        {Fault::timeout_overwrites_wake, "intrusive", "last_receiver_wakes_senders"},
        {Fault::unpark_notifies_first, "intrusive", "spsc_fifo"},
        {Fault::unpark_misreads_parked, "parkers", "deadline_parker_handoff"},
        {Fault::wake_while_running_dropped, "runtime", "task_woken_while_running"},
        {Fault::suspend_overwrites_wake, "runtime", "task_woken_while_running"},
        {Fault::frames_handed_over_relaxed, "runtime", "task_on_two_executors"},
        };
        auto add = [&](Fault f, std::string_view impl, std::string_view scenario) {
            for (const SeededBug& s : b)
                if (s.fault == f && s.impl == impl && s.scenario == scenario) return;
            b.push_back({f, std::string(impl), std::string(scenario)});
        };
        for (const ImplInfo& row : MutexRows::infos) {
            add(Fault::link_without_recheck, row.name, "spsc_fifo");
            if (row.wake == WakePolicy::one) add(Fault::cancel_without_pass_on, row.name, "cancel_after_notify_passes_on");
        }
        return b;
    }();
    return bugs;
}

std::string_view fault_summary(Fault f) noexcept {
    switch (f) {
        case Fault::none: return "no fault";
        case Fault::link_without_recheck: return "a waiter links itself in a second critical section, without re-checking";
        case Fault::cancel_without_pass_on: return "a notified-then-cancelled waiter does not pass its wake-up on";
        case Fault::unlink_outside_lock: return "a cancelled waiter unlinks its node without the lock";
        case Fault::wake_all_ignores_mark: return "a wake-all also wakes waiters that linked after it started";
        case Fault::eventcount_weak_order: return "the event count's notifier checks for waiters with acquire, not seq_cst";
        case Fault::close_overtakes_data: return "receivers stop at the close and strand items not yet claimed (a sentinel overtaking data)";
        case Fault::reused_key_out_of_turn: return "a slab's take trusts a ticket whose key a later link reused (wakes out of turn)";
        case Fault::wake_round_forgets_senders: return "a full batch of senders does not make the wake go round again";
        case Fault::drained_reads_count_first: return "the lock-free end-of-data test reads the count before the closed flag";
        case Fault::drop_without_withdraw: return "a waiter destroyed while linked does not withdraw (the library aborts; the checker reports)";
        case Fault::unpark_notifies_first: return "the thread parker's unpark notifies the futex before it stores kNotified";
        case Fault::timeout_overwrites_wake: return "the deadline parker's timeout disarms with a store, wiping out a wake that raced it";
        case Fault::unpark_misreads_parked: return "the deadline parker's unpark makes the wake syscall for kEmpty, not for kParked";
        case Fault::wake_while_running_dropped: return "a wake that finds its task running does not mark it notified";
        case Fault::suspend_overwrites_wake: return "a suspending task marks itself idle with a store, wiping out a wake that arrived";
        case Fault::frames_handed_over_relaxed: return "a suspending task hands its frames over with a relaxed compare-exchange, not a release";
    }
    return "?";
}

Outcome run_check(const Check& check, Fault fault, const std::vector<Pass>& passes) {
    const Entry* entry = nullptr;
    for (const Entry& e : entries())
        if (e.check.impl == check.impl && e.check.scenario == check.scenario) entry = &e;
    if (!entry) throw std::logic_error("no check " + check.impl + "/" + check.scenario);
    Outcome out;
    armed_fault = fault;
    for (const Pass& pass : passes) {
        out.passes.push_back(entry->run(pass, out.history));
        if (out.passes.back().failed) {
            out.failed = true;
            break;
        }
    }
    armed_fault = Fault::none;
    return out;
}

}  // namespace wakerbench::modelcheck
