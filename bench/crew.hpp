#pragma once
// Crew: the threads of one benchmark run, started once and driven round by round, so thread
// creation, coroutine frames and warm-up stay outside the measured rounds. Every party is a
// coroutine on its own thread's RunLoop (sync mode too: its awaitables are simply always ready), and
// all parties plus the driving thread meet at one std::barrier at the start and end of each round.
//
// Why a barrier per round rather than free-running threads: a round is a fixed amount of work with
// a well-defined start and end, so its wall time, allocations, waits and context switches can be
// read at a quiescent point, exactly.

#include <sys/resource.h>

#include <barrier>
#include <chrono>
#include <coroutine>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <thread>
#include <vector>

#include "pinning.hpp"
#include "ready.hpp"
#include "wakerbench/detail/die.hpp"
#include "wakerbench/runtime/run_loop.hpp"
#include "wakerbench/runtime/spawn.hpp"
#include "wakerbench/runtime/task.hpp"

namespace wakerbench::bench {

class Crew {
public:
    explicit Crew(std::size_t parties) : barrier_(static_cast<std::ptrdiff_t>(parties + 1)), slots_(parties) {}
    Crew(const Crew&) = delete;
    Crew& operator=(const Crew&) = delete;
    ~Crew() { stop(); }

    // Starts one thread per party; make(i) returns party i's Task<void>, which loops on
    // begin_round(i) / end_round(i) until begin_round returns false.
    template <class MakeTask>
    void start(MakeTask make) {
        threads_.reserve(slots_.size());
        for (std::size_t i = 0; i < slots_.size(); ++i)
            threads_.emplace_back([i, make, cpu = party_cpu(i, slots_.size())] {  // make by value: start() returns before the threads call it
                if (cpu && !pin_this_thread(*cpu)) detail::die("wb_bench: --pin: the kernel refused to pin a party thread to its CPU");
                rt::RunLoop loop;
                auto party = rt::spawn(loop, make(i));
                loop.run();
                party.get();  // a party that threw has already failed the run: rethrow, terminate loudly
            });
    }

    // Driving thread: runs one round and returns its wall time in seconds.
    double run_round() {
        const auto t0 = std::chrono::steady_clock::now();
        barrier_.arrive_and_wait();  // round starts
        barrier_.arrive_and_wait();  // every party has finished it
        return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
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
    Ready<bool> begin(std::size_t party) { return {begin_round(party)}; }
    std::suspend_never end(std::size_t party) {
        end_round(party);
        return {};
    }

    // Party side: blocks until the next round starts; false when the crew is stopping.
    bool begin_round(std::size_t party) {
        barrier_.arrive_and_wait();
        if (stopping_) return false;
        slots_[party].at_start = thread_switches();
        return true;
    }
    void end_round(std::size_t party) {
        Slot& s = slots_[party];
        s.switches += thread_switches() - s.at_start;
        barrier_.arrive_and_wait();
    }

private:
    static std::uint64_t thread_switches() noexcept {
        rusage u{};
        getrusage(RUSAGE_THREAD, &u);
        return static_cast<std::uint64_t>(u.ru_nvcsw) + static_cast<std::uint64_t>(u.ru_nivcsw);
    }

    struct alignas(64) Slot {  // one cache line per party: written only by its own thread
        std::uint64_t at_start = 0;
        std::uint64_t switches = 0;
    };

    std::barrier<> barrier_;
    std::vector<Slot> slots_;
    std::vector<std::thread> threads_;
    bool stopping_ = false;
};

}  // namespace wakerbench::bench
