#pragma once
// Misuse that would leave dangling pointers (a wait list destroyed while it holds waiters, a waiter
// destroyed while still linked) is not recoverable: print what happened and abort. Never throw:
// these run in destructors, and unwinding past a dangling link only moves the crash elsewhere.

#include <cstdio>
#include <cstdlib>

namespace wakerbench::detail {

[[noreturn]] inline void die(const char* what) noexcept {
    std::fprintf(stderr, "wakerbench: fatal: %s\n", what);
    std::fflush(stderr);
    std::abort();
}

}  // namespace wakerbench::detail
