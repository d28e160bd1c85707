#include <waferscope/runtime/detail/coroutine_allocator.h>

#include <array>
#include <atomic>
#include <mutex>
#include <new>

namespace waferscope::runtime::detail {

namespace {

struct FreeBlock {
    FreeBlock *next;
};

constexpr std::size_t classOf(std::size_t bytes) noexcept
{
    return (bytes + CoroutineAllocator::kGranule - 1) / CoroutineAllocator::kGranule - 1;
}

constexpr std::size_t blockBytes(std::size_t sizeClass) noexcept
{
    return (sizeClass + 1) * CoroutineAllocator::kGranule;
}

std::atomic<std::uint64_t> g_heapAllocations{0};

/// Blocks no thread holds: filled by threads over their cache limit and by exiting threads.
class SharedLists
{
public:
    ~SharedLists()
    {
        for (std::size_t c = 0; c < m_heads.size(); ++c) {
            while (FreeBlock *block = m_heads[c]) {
                m_heads[c] = block->next;
                ::operator delete(block, blockBytes(c), std::align_val_t{CoroutineAllocator::kGranule});
            }
        }
    }

    void push(std::size_t sizeClass, FreeBlock *first, FreeBlock *last)
    {
        const std::lock_guard lock(m_mutex);
        last->next = m_heads[sizeClass];
        m_heads[sizeClass] = first;
    }

    FreeBlock *pop(std::size_t sizeClass)
    {
        const std::lock_guard lock(m_mutex);
        FreeBlock *block = m_heads[sizeClass];
        if (block != nullptr) {
            m_heads[sizeClass] = block->next;
        }
        return block;
    }

private:
    std::mutex m_mutex;
    std::array<FreeBlock *, CoroutineAllocator::kClasses> m_heads{};
};

SharedLists &sharedLists()
{
    // Constructed on first use, before any thread cache that may hand blocks to it, and so
    // destroyed after them.
    static SharedLists lists;
    return lists;
}

class ThreadCache
{
public:
    ThreadCache() { static_cast<void>(sharedLists()); }

    ~ThreadCache()
    {
        for (std::size_t c = 0; c < m_heads.size(); ++c) {
            if (m_heads[c] != nullptr) {
                FreeBlock *last = m_heads[c];
                while (last->next != nullptr) {
                    last = last->next;
                }
                sharedLists().push(c, m_heads[c], last);
            }
        }
    }

    void *allocate(std::size_t sizeClass)
    {
        if (FreeBlock *block = m_heads[sizeClass]) {
            m_heads[sizeClass] = block->next;
            --m_counts[sizeClass];
            return block;
        }
        if (FreeBlock *block = sharedLists().pop(sizeClass)) {
            return block;
        }
        g_heapAllocations.fetch_add(1, std::memory_order_relaxed);
        return ::operator new(blockBytes(sizeClass), std::align_val_t{CoroutineAllocator::kGranule});
    }

    void deallocate(std::size_t sizeClass, void *memory) noexcept
    {
        auto *block = static_cast<FreeBlock *>(memory);
        if (m_counts[sizeClass] >= CoroutineAllocator::kThreadCacheBlocks) {
            block->next = nullptr;
            sharedLists().push(sizeClass, block, block);
            return;
        }
        block->next = m_heads[sizeClass];
        m_heads[sizeClass] = block;
        ++m_counts[sizeClass];
    }

private:
    std::array<FreeBlock *, CoroutineAllocator::kClasses> m_heads{};
    std::array<std::size_t, CoroutineAllocator::kClasses> m_counts{};
};

ThreadCache &threadCache()
{
    thread_local ThreadCache cache;
    return cache;
}

} // namespace

void *CoroutineAllocator::allocate(std::size_t bytes)
{
    if (bytes > kMaxPooledBytes) {
        g_heapAllocations.fetch_add(1, std::memory_order_relaxed);
        return ::operator new(bytes, std::align_val_t{CoroutineAllocator::kGranule});
    }
    return threadCache().allocate(classOf(bytes));
}

void CoroutineAllocator::deallocate(void *block, std::size_t bytes) noexcept
{
    if (bytes > kMaxPooledBytes) {
        ::operator delete(block, bytes, std::align_val_t{CoroutineAllocator::kGranule});
        return;
    }
    threadCache().deallocate(classOf(bytes), block);
}

std::uint64_t CoroutineAllocator::heapAllocations() noexcept
{
    return g_heapAllocations.load(std::memory_order_relaxed);
}

} // namespace waferscope::runtime::detail
