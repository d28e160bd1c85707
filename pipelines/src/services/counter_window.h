#pragma once

/// CounterWindow: how much a running total rose within the latest `window`, to a tenth of it. The
/// window is kBuckets buckets, each remembering the total at its start; the increase is the latest
/// total minus the start of the oldest bucket, so it spans between nine and ten tenths of the window.
/// The first observation is the baseline: what the total was before it never counts. A total that
/// goes down (its counter was replaced) becomes the new baseline.
/// Threads: one owner. Allocates: nothing.

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>

#include <waferscope/runtime/executor.h>

namespace waferscope::pipelines::detail {

class CounterWindow
{
public:
    static constexpr std::int64_t kBuckets = 10;

    explicit CounterWindow(runtime::Clock::duration window) noexcept
        : m_bucketLength(std::max(window / kBuckets, runtime::Clock::duration(1)))
    {
    }

    /// Precondition: `now` is not earlier than the previous observation.
    void observe(runtime::TimePoint now, std::uint64_t total) noexcept
    {
        if (!m_hasStarted || total < m_latest) {
            m_hasStarted = true;
            m_origin = now;
            m_bucket = 0;
            m_startTotals.fill(total);
            m_latest = total;
            return;
        }
        const std::int64_t bucket = (now - m_origin) / m_bucketLength;
        // Buckets that began since the last observation began at the total seen then.
        for (std::int64_t b = std::max(m_bucket + 1, bucket - kBuckets + 1); b <= bucket; ++b) {
            m_startTotals[static_cast<std::size_t>(b % kBuckets)] = m_latest;
        }
        m_bucket = std::max(m_bucket, bucket);
        m_latest = total;
    }

    [[nodiscard]] std::uint64_t increase() const noexcept
    {
        return m_latest - m_startTotals[static_cast<std::size_t>((m_bucket + 1) % kBuckets)];
    }

private:
    runtime::Clock::duration m_bucketLength;
    std::array<std::uint64_t, kBuckets> m_startTotals{};
    runtime::TimePoint m_origin{};
    std::int64_t m_bucket = 0; // the newest bucket, counted from m_origin
    std::uint64_t m_latest = 0;
    bool m_hasStarted = false;
};

} // namespace waferscope::pipelines::detail
