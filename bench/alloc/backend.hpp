// What the tracer forwards to: the real allocator, reached under names that our own malloc,
// free, ... definitions do not shadow (glibc's __libc_* exports; jemalloc's *allocx API), so no
// dlsym, which itself allocates. Implemented once per allocator, next to allocator.hpp's functions.
// Nothing here counts: the overhead benchmark calls these directly as the untraced baseline.
#pragma once

#include <cstddef>

namespace wakerbench::alloc::backend {

void* real_malloc(std::size_t size) noexcept;                      // size may be 0
void* real_calloc(std::size_t bytes) noexcept;                     // zeroed; bytes may be 0
void* real_aligned(std::size_t align, std::size_t size) noexcept;  // align: a power of two
void* real_realloc(void* p, std::size_t size) noexcept;            // p != nullptr, size != 0
void real_free(void* p) noexcept;                                  // p != nullptr

}  // namespace wakerbench::alloc::backend
