// The glibc backend: glibc exports its allocator a second time under __libc_* names, which our
// malloc/free definitions do not shadow (nm -D libc.so.6: __libc_malloc@@GLIBC_2.2.5, ...).

#include <dlfcn.h>
#include <gnu/libc-version.h>
#include <malloc.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "alloc_tracer.hpp"
#include "allocator.hpp"
#include "backend.hpp"

extern "C" {
void* __libc_malloc(std::size_t size) noexcept;
void* __libc_calloc(std::size_t count, std::size_t size) noexcept;
void* __libc_memalign(std::size_t align, std::size_t size) noexcept;
void* __libc_realloc(void* p, std::size_t size) noexcept;
void __libc_free(void* p) noexcept;
}

namespace wakerbench::alloc {

namespace backend {
void* real_malloc(std::size_t size) noexcept { return __libc_malloc(size); }
void* real_calloc(std::size_t bytes) noexcept { return __libc_calloc(1, bytes); }
void* real_aligned(std::size_t align, std::size_t size) noexcept { return __libc_memalign(align, size); }
void* real_realloc(void* p, std::size_t size) noexcept { return __libc_realloc(p, size); }
void real_free(void* p) noexcept { __libc_free(p); }
}  // namespace backend

std::string_view allocator_name() noexcept { return "glibc"; }

std::string allocator_version() { return gnu_get_libc_version(); }

namespace {
[[noreturn]] void fail(const char* problem, const char* fix) {
    std::fprintf(stderr, "wakerbench: allocator check failed (glibc build): %s\n  fix: %s\n", problem, fix);
    std::exit(1);
}
}  // namespace

void verify_allocator() {
    // Through a volatile pointer so the compiler cannot drop the strdup/free pair; strdup, so the
    // malloc is made inside libc, the way most allocations we must not miss are.
    char* (*volatile dup)(const char*) = strdup;
    const AllocCounts before = alloc_totals();
    char* copy = dup("wakerbench allocator probe");
    const AllocCounts seen = alloc_totals() - before;
    std::free(copy);
    if (copy == nullptr || seen.allocs == 0)
        fail("the allocation tracer did not see a malloc made inside libc",
             "link the OBJECT library wakerbench_alloc_system directly into the executable");
    if (void* mallctl = dlsym(RTLD_DEFAULT, "mallctl")) {
        Dl_info where{};
        const char* lib = dladdr(mallctl, &where) != 0 && where.dli_fname != nullptr ? where.dli_fname : "?";
        std::fprintf(stderr, "wakerbench: jemalloc is loaded (%s)\n", lib);
        fail("jemalloc is loaded in the glibc build, whose numbers would be labelled glibc",
             "run without LD_PRELOAD, and use wb_bench_jemalloc for jemalloc");
    }
}

std::optional<std::size_t> allocator_bytes_in_use() {
    // Every arena; what glibc's malloc holds for live blocks: in its heaps plus mmapped ones.
    const struct mallinfo2 info = mallinfo2();
    return info.uordblks + info.hblkhd;
}

}  // namespace wakerbench::alloc
