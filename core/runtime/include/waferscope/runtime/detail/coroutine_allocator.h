#pragma once

// Do not include directly: include <waferscope/runtime/value_task.h> instead.

/// Recycles coroutine frames of ValueTask and Job coroutines (the analogue of .NET's
/// PoolingAsyncValueTaskMethodBuilder), so a coroutine call allocates nothing in steady state.
///
/// Lifecycle of a block: allocated from the heap once (a miss) → handed to a frame → on the frame's
/// destruction pushed onto the destroying thread's free list for its size class → handed to the
/// next frame of that class on that thread. A thread's list keeps at most kThreadCacheBlocks per
/// class; past that, and when the thread exits, blocks move to a shared list that any thread's
/// miss draws from before it touches the heap. That covers frames created on one thread and
/// destroyed on another. Blocks go back to the heap only at process exit.
/// Size classes are multiples of 64 bytes up to kMaxPooledBytes; larger frames use the heap.
/// Threads: any; each thread's list is its own, the shared list takes a mutex.

#include <cstddef>
#include <cstdint>

namespace waferscope::runtime::detail {

class CoroutineAllocator
{
public:
    static constexpr std::size_t kGranule = 64;
    static constexpr std::size_t kMaxPooledBytes = 4096;
    static constexpr std::size_t kClasses = kMaxPooledBytes / kGranule;
    static constexpr std::size_t kThreadCacheBlocks = 256;

    [[nodiscard]] static void *allocate(std::size_t bytes);
    static void deallocate(void *block, std::size_t bytes) noexcept;

    /// Heap allocations made for frames so far, across all threads (misses and oversized frames).
    [[nodiscard]] static std::uint64_t heapAllocations() noexcept;
};

} // namespace waferscope::runtime::detail
