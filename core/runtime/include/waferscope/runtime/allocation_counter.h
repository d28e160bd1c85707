#pragma once

/// Allocation counting for the process: link the `waferscope::allocation_counter` object library
/// into a program (tests, benchmarks, the headless mode's summary) and it replaces the global
/// operator new/delete, and malloc, calloc, realloc, aligned_alloc, posix_memalign and memalign
/// (forwarded to glibc's __libc_* functions), with versions that count every allocation, per thread
/// and for the whole process — including those that never pass through operator new, such as
/// libstdc++'s std::rethrow_exception. Sanitizer builds interpose malloc themselves: there only
/// operator new is counted (countsMalloc() says which). Without that library these functions are
/// not defined.
/// Threads: any. Cost: one thread-local increment and one relaxed atomic add per allocation.

#include <cstdint>

namespace waferscope::runtime {

/// Allocations made by the calling thread since it started.
[[nodiscard]] std::uint64_t threadAllocations() noexcept;
/// Allocations made by all threads since the process started.
[[nodiscard]] std::uint64_t processAllocations() noexcept;
/// Whether the C allocation functions are counted too (false in sanitizer builds).
[[nodiscard]] bool countsMalloc() noexcept;

} // namespace waferscope::runtime
