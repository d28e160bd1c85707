#pragma once

/// DurationWindow: the latest `Capacity` durations in a fixed ring, with nearest-rank percentiles,
/// mean and standard deviation over them. Older values fall out as new ones come.
/// Threads: one owner. Allocates: nothing; the ring and the sorting scratch are arrays inside it.

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <cstdint>

#include <waferscope/runtime/executor.h>

namespace waferscope::pipelines::detail {

class DurationWindow
{
public:
    static constexpr std::size_t kCapacity = 128;

    void add(runtime::Clock::duration value) noexcept
    {
        m_values[m_next] = value.count();
        m_next = (m_next + 1) % kCapacity;
        m_count = std::min(m_count + 1, kCapacity);
    }

    [[nodiscard]] std::size_t size() const noexcept { return m_count; }

    /// The smallest value with at least `share` (0…1] of the values at or below it; zero when empty.
    [[nodiscard]] runtime::Clock::duration percentile(double share) noexcept
    {
        if (m_count == 0) {
            return {};
        }
        std::copy_n(m_values.begin(), m_count, m_scratch.begin());
        const auto rank = static_cast<std::size_t>(std::ceil(share * static_cast<double>(m_count)));
        const std::size_t index = std::clamp<std::size_t>(rank, 1, m_count) - 1;
        std::nth_element(m_scratch.begin(), m_scratch.begin() + static_cast<std::ptrdiff_t>(index),
                         m_scratch.begin() + static_cast<std::ptrdiff_t>(m_count));
        return runtime::Clock::duration(m_scratch[index]);
    }

    [[nodiscard]] runtime::Clock::duration mean() const noexcept
    {
        return runtime::Clock::duration(static_cast<runtime::Clock::rep>(std::llround(meanCount())));
    }

    /// Population standard deviation; zero when empty.
    [[nodiscard]] runtime::Clock::duration standardDeviation() const noexcept
    {
        if (m_count == 0) {
            return {};
        }
        const double mean = meanCount();
        double squares = 0.0;
        for (std::size_t i = 0; i < m_count; ++i) {
            const double d = static_cast<double>(m_values[i]) - mean;
            squares += d * d;
        }
        return runtime::Clock::duration(
            static_cast<runtime::Clock::rep>(std::llround(std::sqrt(squares / static_cast<double>(m_count)))));
    }

private:
    [[nodiscard]] double meanCount() const noexcept
    {
        if (m_count == 0) {
            return 0.0;
        }
        double sum = 0.0;
        for (std::size_t i = 0; i < m_count; ++i) {
            sum += static_cast<double>(m_values[i]);
        }
        return sum / static_cast<double>(m_count);
    }

    std::array<runtime::Clock::rep, kCapacity> m_values{};
    std::array<runtime::Clock::rep, kCapacity> m_scratch{};
    std::size_t m_next = 0;
    std::size_t m_count = 0;
};

} // namespace waferscope::pipelines::detail
