#pragma once

/// Counts calls to the global operator new made by the calling thread (link
/// waferscope::alloc_counter into the test binary). Use AllocationScope around the code under test.

#include <cstdint>

namespace waferscope::testing {

/// Allocations made by the calling thread since it started.
[[nodiscard]] std::uint64_t threadAllocations() noexcept;
/// Allocations made by all threads since the process started.
[[nodiscard]] std::uint64_t processAllocations() noexcept;

class AllocationScope
{
public:
    AllocationScope() noexcept
        : m_thread(threadAllocations())
        , m_process(processAllocations())
    {
    }
    /// Allocations by this thread since the scope began.
    [[nodiscard]] std::uint64_t thread() const noexcept { return threadAllocations() - m_thread; }
    /// Allocations by every thread since the scope began.
    [[nodiscard]] std::uint64_t process() const noexcept { return processAllocations() - m_process; }

private:
    std::uint64_t m_thread;
    std::uint64_t m_process;
};

} // namespace waferscope::testing
