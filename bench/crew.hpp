#pragma once
// Crew: the threads of one benchmark run, started once and driven round by round, so thread
// creation, coroutine frames and warm-up stay outside the measured rounds. Every party runs on a
// thread of its own, and all parties plus the driving thread meet at one std::barrier at the start
// and end of each round.
//
// Why a barrier per round rather than free-running threads: a round is a fixed amount of work with
// a well-defined start and end, so its wall time, allocations, waits and context switches can be
// read at a quiescent point, exactly.

#include <barrier>
#include <chrono>
#include <coroutine>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <thread>
#include <vector>

#include "marks.hpp"
#include "pinning.hpp"
#include "ready.hpp"
#include "wakerbench/detail/die.hpp"

namespace wakerbench::bench {

class Crew {
public:
    explicit Crew(std::size_t parties) : barrier_(static_cast<std::ptrdiff_t>(parties + 1)), slots_(parties) {}
    Crew(const Crew&) = delete;
    Crew& operator=(const Crew&) = delete;
    ~Crew() { stop(); }

    // Starts one thread per party: pinned if asked (--pin), it runs run_party(i), which loops on
    // begin_round(i) / end_round(i) until begin_round returns false (rig.hpp: a plain loop in sync
    // mode, a coroutine on the thread's RunLoop in async mode).
    template <class RunParty>
    void start(RunParty run_party) {
        threads_.reserve(slots_.size());
        for (std::size_t i = 0; i < slots_.size(); ++i)
            threads_.emplace_back([i, run_party, cpu = party_cpu(i, slots_.size())] {  // by value: start() returns before the threads run
                if (cpu && !pin_this_thread(*cpu)) detail::die("wb_bench: --pin: the kernel refused to pin a party thread to its CPU");
                run_party(i);
            });
    }

    // Driving thread: runs one round and returns its wall time in seconds: from the first party's
    // start to the last party's finish, as the parties' own clocks read them. Not the driver's: on
    // a 2-core machine it may be scheduled only well after the last party has finished, and the
    // time it takes to notice is the barrier's, not the channel's.
    double run_round() {
        barrier_.arrive_and_wait();  // round starts
        barrier_.arrive_and_wait();  // every party has finished it
        return first_start_to_last_finish(slots_);
    }

    // Driving thread: lets the parties leave and joins them. Idempotent.
    void stop() {
        if (threads_.empty()) return;
        stopping_ = true;  // plain write: the barrier phase below orders it before every party's read
        barrier_.arrive_and_wait();
        for (auto& t : threads_) t.join();
        threads_.clear();
    }

    // Context switches (voluntary + involuntary, getrusage(RUSAGE_THREAD)) inside rounds so far,
    // summed over every party. Read by the driving thread between rounds: the barrier orders the
    // parties' plain writes before it.
    [[nodiscard]] std::uint64_t context_switches() const noexcept {
        std::uint64_t sum = 0;
        for (const Slot& s : slots_) sum += s.switches;
        return sum;
    }

    // Party side, as the party coroutine awaits them (party.hpp): the calls block the party's
    // thread, and the awaitables they return are already ready.
    auto begin(std::size_t party) { return Ready{[this, party] { return begin_round(party); }}; }
    std::suspend_never end(std::size_t party) {
        end_round(party);
        return {};
    }

    // Party side: blocks until the next round starts; false when the crew is stopping.
    bool begin_round(std::size_t party) {
        barrier_.arrive_and_wait();
        if (stopping_) return false;
        Slot& s = slots_[party];
        s.at_start = thread_context_switches();
        s.started = Clock::now();
        return true;
    }
    void end_round(std::size_t party) {
        Slot& s = slots_[party];
        s.finished = Clock::now();
        s.switches += thread_context_switches() - s.at_start;
        barrier_.arrive_and_wait();
    }

private:
    using Clock = std::chrono::steady_clock;
    struct alignas(64) Slot {  // one cache line per party: written only by its own thread
        std::uint64_t at_start = 0;
        std::uint64_t switches = 0;
        Clock::time_point started, finished;  // this round's, on the party's own clock
    };

    std::barrier<> barrier_;
    std::vector<Slot> slots_;
    std::vector<std::thread> threads_;
    bool stopping_ = false;
};

}  // namespace wakerbench::bench
