#pragma once

/// Counter: a monotonically increasing count that pipeline threads bump and the UI thread reads.
/// Threads: any number of writers and readers. Relaxed order throughout: a counter orders nothing,
/// a snapshot only needs each value to be one that was really there.
/// Allocates: nothing.

#include <atomic>
#include <cstdint>

namespace waferscope::runtime {

class Counter
{
public:
    void add(std::uint64_t n = 1) noexcept { m_value.fetch_add(n, std::memory_order_relaxed); }
    [[nodiscard]] std::uint64_t value() const noexcept { return m_value.load(std::memory_order_relaxed); }

private:
    std::atomic<std::uint64_t> m_value{0};
};

/// Gauge: a level (depth, items in use) with the highest level it has reached.
/// Threads: set() from one writer at a time (callers hold their own lock); reads from any thread.
class Gauge
{
public:
    void set(std::int64_t level) noexcept
    {
        m_level.store(level, std::memory_order_relaxed);
        if (level > m_highWater.load(std::memory_order_relaxed)) {
            m_highWater.store(level, std::memory_order_relaxed);
        }
    }
    [[nodiscard]] std::int64_t value() const noexcept { return m_level.load(std::memory_order_relaxed); }
    [[nodiscard]] std::int64_t highWater() const noexcept { return m_highWater.load(std::memory_order_relaxed); }

private:
    std::atomic<std::int64_t> m_level{0};
    std::atomic<std::int64_t> m_highWater{0};
};

} // namespace waferscope::runtime
