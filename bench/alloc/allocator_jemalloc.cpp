// The jemalloc backend: its non-standard *allocx API, whose names our malloc/free definitions do
// not shadow (Debian's libjemalloc exports it unprefixed, but not __libc_malloc and friends).

#include <jemalloc/jemalloc.h>
#include <strings.h>  // ffs, used by MALLOCX_ALIGN

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "alloc_tracer.hpp"
#include "allocator.hpp"
#include "backend.hpp"

namespace wakerbench::alloc {

namespace backend {
// mallocx with size 0 is undefined; malloc(0) must still return a block of its own.
void* real_malloc(std::size_t size) noexcept { return mallocx(size != 0 ? size : 1, 0); }
void* real_calloc(std::size_t bytes) noexcept { return mallocx(bytes != 0 ? bytes : 1, MALLOCX_ZERO); }
void* real_aligned(std::size_t align, std::size_t size) noexcept {
    return mallocx(size != 0 ? size : 1, MALLOCX_ALIGN(align));
}
void* real_realloc(void* p, std::size_t size) noexcept { return rallocx(p, size, 0); }
void real_free(void* p) noexcept { dallocx(p, 0); }
}  // namespace backend

std::string_view allocator_name() noexcept { return "jemalloc"; }

std::string allocator_version() {
    const char* version = nullptr;
    std::size_t len = sizeof version;
    if (mallctl("version", &version, &len, nullptr, 0) != 0 || version == nullptr) return "unknown";
    return version;
}

namespace {
[[noreturn]] void fail(const char* problem, const char* fix) {
    std::fprintf(stderr, "wakerbench: allocator check failed (jemalloc build): %s\n  fix: %s\n", problem, fix);
    std::exit(1);
}

// Bytes jemalloc has handed to this thread so far; needs jemalloc's statistics (Debian has them).
std::uint64_t thread_allocated() {
    std::uint64_t n = 0;
    std::size_t len = sizeof n;
    if (mallctl("thread.allocated", &n, &len, nullptr, 0) != 0)
        fail("mallctl(\"thread.allocated\") failed: this jemalloc has no statistics",
             "install a jemalloc built with --enable-stats (Debian's libjemalloc2 is)");
    return n;
}
}  // namespace

void verify_allocator() {
    const char* version = nullptr;
    std::size_t len = sizeof version;
    if (mallctl("version", &version, &len, nullptr, 0) != 0 || version == nullptr)
        fail("mallctl(\"version\") failed: the jemalloc linked in does not answer",
             "run scripts/setup (libjemalloc-dev), and do not LD_PRELOAD another allocator");
    // strdup through a volatile pointer: a malloc made inside libc, which the compiler cannot drop.
    char* (*volatile dup)(const char*) = strdup;
    const std::uint64_t jemalloc_before = thread_allocated();
    const AllocCounts traced_before = alloc_totals();
    char* copy = dup("wakerbench allocator probe");
    const AllocCounts traced = alloc_totals() - traced_before;
    const std::uint64_t jemalloc_grew = thread_allocated() - jemalloc_before;
    std::free(copy);
    if (copy == nullptr || jemalloc_grew == 0)
        fail("a malloc made inside libc was not served by jemalloc (thread.allocated did not grow)",
             "link the OBJECT library wakerbench_alloc_jemalloc directly into the executable");
    if (traced.allocs == 0)
        fail("the allocation tracer did not see a malloc made inside libc",
             "link the OBJECT library wakerbench_alloc_jemalloc directly into the executable");
}

std::optional<std::size_t> allocator_bytes_in_use() {
    // Objects freed into this thread's cache still count as allocated in the arena's statistics
    // until the cache is flushed; flush it so a free on this thread shows up at once.
    (void)mallctl("thread.tcache.flush", nullptr, nullptr, nullptr, 0);
    // jemalloc's statistics are a snapshot refreshed by writing "epoch".
    std::uint64_t epoch = 1;
    std::size_t len = sizeof epoch;
    if (mallctl("epoch", &epoch, &len, &epoch, len) != 0) return std::nullopt;
    std::size_t allocated = 0;
    len = sizeof allocated;
    if (mallctl("stats.allocated", &allocated, &len, nullptr, 0) != 0) return std::nullopt;
    return allocated;
}

}  // namespace wakerbench::alloc

// Defined here rather than left to lookup order (libjemalloc's export would normally come before
// glibc's): glibc's would read a jemalloc block as one of its own.
extern "C" std::size_t malloc_usable_size(void* p) noexcept { return p != nullptr ? sallocx(p, 0) : 0; }
