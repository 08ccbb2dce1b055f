#pragma once
// The zygote: where every counted point runs (wb_bench --count). main() forks it right after the
// benchmarks are registered, before anything has run; for each counted benchmark Google Benchmark
// runs in the parent, the zygote forks a fresh child that sets the point up, counts its measured
// loop and exits. So every point starts from the same process state, the one right after
// registration, whatever ran before it and whatever the selection: its heap (which free chunk a
// vector re-grows into), its simulated caches and its branch history.
//
// Why: counted one after another in one process, a point's counts followed the points before it.
// vec's link_take_wake at 256 waiters counted 27.83 M instructions after the quick selection's
// points and 27.56 M after a handful (1%), churn1024/vec 0.16% apart, and cache misses and
// mispredicted branches moved at most points; a change to one row would have moved another's.
//
// The zygote's own heap never changes after the fork: it only reads an index from a pipe, forks
// and waits, all on its stack. Under callgrind each child writes its dump to
// callgrind.out.<its pid>.1 (--callgrind-out-file=callgrind.out.%p); the parent records the pid,
// and bench/count/collect.py pairs them.

#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "wakerbench/detail/die.hpp"

namespace wakerbench::bench {

// The counted work of every counted benchmark, by the index register_counted gave it: each sets
// its point up, then runs the measured loop inside a CountedRegion (counting.hpp).
inline std::vector<std::function<void()>>& counted_work() {
    static std::vector<std::function<void()>> work;
    return work;
}

// What became of one counted point's child.
struct CountedChild {
    pid_t pid = -1;
    int status = 0;  // as waitpid() reports it

    [[nodiscard]] bool ok() const noexcept { return pid > 0 && WIFEXITED(status) && WEXITSTATUS(status) == 0; }
    [[nodiscard]] std::string why_not() const {
        if (pid <= 0) return "the zygote could not fork a child";
        if (WIFSIGNALED(status)) return "its child was killed by signal " + std::to_string(WTERMSIG(status)) + " (its message is above)";
        return "its child exited with status " + std::to_string(WEXITSTATUS(status)) + " (its message is above)";
    }
};

class Zygote {
public:
    static Zygote& instance() {
        static Zygote z;
        return z;
    }

    // Forks the zygote. Call once, after registration and before anything runs.
    void start() {
        int down[2], up[2];
        if (::pipe(down) != 0 || ::pipe(up) != 0) detail::die("wb_bench --count: no pipe for the zygote");
        const pid_t pid = ::fork();
        if (pid < 0) detail::die("wb_bench --count: could not fork the zygote");
        if (pid == 0) {
            ::close(down[1]);
            ::close(up[0]);
            serve(down[0], up[1]);
        }
        ::close(down[0]);
        ::close(up[1]);
        to_zygote_ = down[1];
        from_zygote_ = up[0];
        // One round with no work: the zygote's first round runs its own code cold, and every later
        // round leaves the simulated caches as the one before did. So the first counted point's
        // child starts from the same state as every other's.
        if (!run(kNoWork).ok()) detail::die("wb_bench --count: the zygote's first round failed");
    }

    // Parent: runs counted work `index` in a fresh child of the zygote, and waits for it.
    CountedChild run(std::size_t index) {
        if (to_zygote_ < 0) detail::die("wb_bench --count: a counted point ran before the zygote was started");
        std::uint64_t i = index;
        CountedChild child;
        if (!transfer(to_zygote_, &i, sizeof i, true) || !transfer(from_zygote_, &child, sizeof child, false))
            detail::die("wb_bench --count: the zygote is gone");
        return child;
    }

private:
    static constexpr std::uint64_t kNoWork = ~std::uint64_t(0);

    Zygote() = default;

    // The zygote's loop: an index in, a child forked to run that work, its pid and status out.
    // Ends when the parent closes the pipe (it has exited). The zygote itself touches nothing that
    // depends on the index (the child looks the work up), so every round leaves it as it was.
    [[noreturn]] static void serve(int in, int out) {
        for (;;) {
            std::uint64_t index = 0;
            if (!transfer(in, &index, sizeof index, false)) ::_exit(0);
            CountedChild child;
            child.pid = ::fork();
            if (child.pid == 0) {
                ::close(in);
                ::close(out);
                if (index == kNoWork) ::_exit(0);
                if (index >= counted_work().size()) detail::die("wb_bench --count: the zygote was asked for work nobody registered");
                run_at_stack_phase(counted_work()[index]);
                ::_exit(0);
            }
            if (child.pid > 0)
                while (::waitpid(child.pid, &child.status, 0) < 0 && errno == EINTR) {
                }
            if (!transfer(out, &child, sizeof child, true)) ::_exit(1);
        }
    }

    // Runs `work` with the stack pointer at the same offset modulo kStackPeriod in every run. The
    // stack starts below the command line and the environment, so it moves with their length (a
    // longer filter): without this, the counted work's stack objects (a driver, a list head) fell
    // into other simulated cache sets, and D1 misses differed between selections (parking_lot's
    // link_take_wake at 256 waiters: 275 against 243 in one region) where instructions did not.
    // kStackPeriod is the longest period of scripts/count's caches: the last level's way (8 MiB /
    // 16 ways); an L1 way (4 KiB) divides it.
    static constexpr std::uintptr_t kStackPeriod = 512 * 1024;
    static constexpr std::uintptr_t kStackPhase = 0x1000;
    [[gnu::noinline]] static void run_at_stack_phase(const std::function<void()>& work) {
        const auto here = reinterpret_cast<std::uintptr_t>(__builtin_frame_address(0));
        const std::uintptr_t pad = (here - kStackPhase) % kStackPeriod;  // a multiple of 16: both terms are
        volatile char* below = static_cast<char*>(__builtin_alloca(pad + 16));
        below[0] = 0;  // the padding is used: the compiler keeps it
        work();
    }

    // Reads or writes exactly `size` bytes; false at end of file or on an error.
    static bool transfer(int fd, void* data, std::size_t size, bool write) {
        auto* p = static_cast<char*>(data);
        while (size > 0) {
            const ssize_t n = write ? ::write(fd, p, size) : ::read(fd, p, size);
            if (n < 0 && errno == EINTR) continue;
            if (n <= 0) return false;
            p += n;
            size -= std::size_t(n);
        }
        return true;
    }

    int to_zygote_ = -1;
    int from_zygote_ = -1;
};

}  // namespace wakerbench::bench
