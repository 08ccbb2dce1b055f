// The allocator behind the tracer: one implementation per backend (allocator_system.cpp for
// glibc, allocator_jemalloc.cpp for jemalloc); an executable links exactly one.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace wakerbench::alloc {

std::string_view allocator_name() noexcept;  // "glibc" or "jemalloc"
std::string allocator_version();              // e.g. "2.36", "5.3.0-0-g54eaed1d8b56..."

// Start-up check that the process really runs on the allocator it is named after and that the
// tracer sees its mallocs. On failure prints what is wrong and what to do, and exits with status 1.
void verify_allocator();

// Bytes the allocator holds for live allocations (its own measure, rounded-up sizes included);
// nullopt if it cannot say. jemalloc: stats.allocated; glibc: mallinfo2 uordblks + hblkhd.
std::optional<std::size_t> allocator_bytes_in_use();

}  // namespace wakerbench::alloc
