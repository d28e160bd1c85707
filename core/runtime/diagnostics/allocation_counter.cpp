#include <waferscope/runtime/allocation_counter.h>

#include <atomic>
#include <cstddef>
#include <cstdlib>
#include <new>

namespace {
thread_local std::uint64_t t_allocations = 0;
std::atomic<std::uint64_t> g_allocations{0};

void *countedAllocate(std::size_t bytes, std::size_t alignment)
{
    ++t_allocations;
    g_allocations.fetch_add(1, std::memory_order_relaxed);
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
} // namespace waferscope::runtime

// NOLINTBEGIN(misc-new-delete-overloads)
void *operator new(std::size_t bytes)
{
    return countedAllocate(bytes, alignof(std::max_align_t));
}
void *operator new[](std::size_t bytes)
{
    return countedAllocate(bytes, alignof(std::max_align_t));
}
void *operator new(std::size_t bytes, std::align_val_t alignment)
{
    return countedAllocate(bytes, static_cast<std::size_t>(alignment));
}
void *operator new[](std::size_t bytes, std::align_val_t alignment)
{
    return countedAllocate(bytes, static_cast<std::size_t>(alignment));
}
void *operator new(std::size_t bytes, const std::nothrow_t &) noexcept
{
    try {
        return countedAllocate(bytes, alignof(std::max_align_t));
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
