#include <waferscope/runtime/allocation_counter.h>

#include <atomic>
#include <cstddef>
#include <cstdlib>
#include <new>

// Counts every heap allocation of the process: the global operator new family, and — outside
// sanitizer builds, whose runtimes interpose malloc themselves — the C allocation functions
// malloc, calloc, realloc, aligned_alloc, posix_memalign and memalign, which this file defines and
// forwards to glibc's own (__libc_malloc and friends). That catches what never passes through
// operator new: libstdc++'s std::rethrow_exception (one malloc per rethrow), C libraries, strdup.
// operator new allocates through malloc (or aligned_alloc), so each allocation is counted once.

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define WAFERSCOPE_COUNT_MALLOC 0
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
#define WAFERSCOPE_COUNT_MALLOC 0
#endif
#endif
#ifndef WAFERSCOPE_COUNT_MALLOC
#define WAFERSCOPE_COUNT_MALLOC 1
#endif

namespace {
// Zero-initialised, in the executable's static TLS block: reading it never allocates, so it is
// safe inside malloc.
thread_local std::uint64_t t_allocations = 0;
std::atomic<std::uint64_t> g_allocations{0};

inline void count() noexcept
{
    ++t_allocations;
    g_allocations.fetch_add(1, std::memory_order_relaxed);
}

void *allocate(std::size_t bytes, std::size_t alignment)
{
#if !WAFERSCOPE_COUNT_MALLOC
    count(); // malloc is not counted in this build: count operator new itself
#endif
    if (bytes == 0) {
        bytes = 1;
    }
    void *p = nullptr;
    if (alignment <= alignof(std::max_align_t)) {
        p = std::malloc(bytes);
    } else {
        p = std::aligned_alloc(alignment, (bytes + alignment - 1) / alignment * alignment);
    }
    if (p == nullptr) {
        throw std::bad_alloc();
    }
    return p;
}
} // namespace

namespace waferscope::runtime {
std::uint64_t threadAllocations() noexcept
{
    return t_allocations;
}
std::uint64_t processAllocations() noexcept
{
    return g_allocations.load(std::memory_order_relaxed);
}
bool countsMalloc() noexcept
{
    return WAFERSCOPE_COUNT_MALLOC != 0;
}
} // namespace waferscope::runtime

#if WAFERSCOPE_COUNT_MALLOC
extern "C" {
void *__libc_malloc(std::size_t bytes);
void *__libc_calloc(std::size_t count, std::size_t bytes);
void *__libc_realloc(void *block, std::size_t bytes);
void *__libc_memalign(std::size_t alignment, std::size_t bytes);
void __libc_free(void *block);

// NOLINTBEGIN(bugprone-reserved-identifier,cert-dcl37-c,cert-dcl51-cpp)
void *malloc(std::size_t bytes)
{
    count();
    return __libc_malloc(bytes);
}
void *calloc(std::size_t n, std::size_t bytes)
{
    count();
    return __libc_calloc(n, bytes);
}
void *realloc(void *block, std::size_t bytes)
{
    count();
    return __libc_realloc(block, bytes);
}
void free(void *block)
{
    __libc_free(block);
}
void *aligned_alloc(std::size_t alignment, std::size_t bytes)
{
    count();
    return __libc_memalign(alignment, bytes);
}
void *memalign(std::size_t alignment, std::size_t bytes)
{
    count();
    return __libc_memalign(alignment, bytes);
}
int posix_memalign(void **out, std::size_t alignment, std::size_t bytes)
{
    if (alignment < sizeof(void *) || (alignment & (alignment - 1)) != 0) {
        return 22; // EINVAL
    }
    count();
    void *p = __libc_memalign(alignment, bytes);
    if (p == nullptr) {
        return 12; // ENOMEM
    }
    *out = p;
    return 0;
}
// NOLINTEND(bugprone-reserved-identifier,cert-dcl37-c,cert-dcl51-cpp)
}
#endif

// NOLINTBEGIN(misc-new-delete-overloads)
void *operator new(std::size_t bytes)
{
    return allocate(bytes, alignof(std::max_align_t));
}
void *operator new[](std::size_t bytes)
{
    return allocate(bytes, alignof(std::max_align_t));
}
void *operator new(std::size_t bytes, std::align_val_t alignment)
{
    return allocate(bytes, static_cast<std::size_t>(alignment));
}
void *operator new[](std::size_t bytes, std::align_val_t alignment)
{
    return allocate(bytes, static_cast<std::size_t>(alignment));
}
void *operator new(std::size_t bytes, const std::nothrow_t &) noexcept
{
    try {
        return allocate(bytes, alignof(std::max_align_t));
    } catch (...) {
        return nullptr;
    }
}
void operator delete(void *p) noexcept { std::free(p); }
void operator delete[](void *p) noexcept { std::free(p); }
void operator delete(void *p, std::size_t) noexcept { std::free(p); }
void operator delete[](void *p, std::size_t) noexcept { std::free(p); }
void operator delete(void *p, std::align_val_t) noexcept { std::free(p); }
void operator delete[](void *p, std::align_val_t) noexcept { std::free(p); }
void operator delete(void *p, std::size_t, std::align_val_t) noexcept { std::free(p); }
void operator delete[](void *p, std::size_t, std::align_val_t) noexcept { std::free(p); }
// NOLINTEND(misc-new-delete-overloads)
