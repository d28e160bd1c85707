#pragma once

/// Reports allocations per iteration as the allocs_per_op counter of a Google Benchmark state.
/// Counts heap allocations (operator new, and malloc, calloc and realloc outside sanitizer builds)
/// made by every thread of the process during the timed loop.

#include <benchmark/benchmark.h>

#include <waferscope/testing/allocation_counter.h>

namespace waferscope::benchmarks {

class AllocsPerOp
{
public:
    explicit AllocsPerOp(benchmark::State &state) noexcept
        : m_state(state)
    {
    }
    ~AllocsPerOp()
    {
        const auto iterations = static_cast<double>(m_state.iterations());
        m_state.counters["allocs_per_op"] =
            iterations > 0 ? static_cast<double>(m_scope.process()) / iterations : 0.0;
    }
    AllocsPerOp(const AllocsPerOp &) = delete;
    AllocsPerOp &operator=(const AllocsPerOp &) = delete;

private:
    benchmark::State &m_state;
    testing::AllocationScope m_scope;
};

} // namespace waferscope::benchmarks
