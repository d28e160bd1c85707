#pragma once

/// Counts heap allocations: operator new, and malloc and its kin outside sanitizer builds (link
/// waferscope::alloc_counter into the test binary).
/// Use AllocationScope around the code under test.

#include <cstdint>

#include <waferscope/runtime/allocation_counter.h>

namespace waferscope::testing {

using runtime::countsMalloc;
using runtime::processAllocations;
using runtime::threadAllocations;

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
