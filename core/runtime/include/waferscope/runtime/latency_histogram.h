#pragma once

/// LatencyHistogram: how long something took, counted into log-linear buckets — exact below 8 µs,
/// then 8 buckets per power of two (each within 12.5 % of its values) up to about 12 days — so that
/// a hot loop can record a duration with one relaxed atomic increment and a reader can ask for any
/// percentile at any time.
/// Threads: record() from any number of threads at once; percentile() and count() from any thread,
/// reading a snapshot that may miss records in flight. Allocates: nothing (the buckets are inline).

#include <algorithm>
#include <array>
#include <atomic>
#include <bit>
#include <chrono>
#include <cstddef>
#include <cstdint>

namespace waferscope::runtime {

class LatencyHistogram
{
public:
    static constexpr std::size_t kBuckets = 8 + 38 * 8; ///< up to 2^41 µs

    LatencyHistogram() = default;
    LatencyHistogram(const LatencyHistogram &) = delete;
    LatencyHistogram &operator=(const LatencyHistogram &) = delete;

    template<typename Rep, typename Period>
    void record(std::chrono::duration<Rep, Period> elapsed) noexcept
    {
        const auto us = std::chrono::duration_cast<std::chrono::microseconds>(elapsed).count();
        m_buckets[bucketOf(us < 0 ? 0 : static_cast<std::uint64_t>(us))].fetch_add(1, std::memory_order_relaxed);
        m_count.fetch_add(1, std::memory_order_relaxed);
    }

    [[nodiscard]] std::uint64_t count() const noexcept { return m_count.load(std::memory_order_relaxed); }

    /// The value below which `fraction` (0…1) of the records lie, in microseconds: the middle of
    /// the bucket that holds that rank. 0 when nothing was recorded.
    [[nodiscard]] std::uint64_t percentileUs(double fraction) const noexcept
    {
        std::array<std::uint64_t, kBuckets> counts{};
        std::uint64_t total = 0;
        for (std::size_t i = 0; i < kBuckets; ++i) {
            counts[i] = m_buckets[i].load(std::memory_order_relaxed);
            total += counts[i];
        }
        if (total == 0) {
            return 0;
        }
        const double wanted = std::clamp(fraction, 0.0, 1.0) * static_cast<double>(total);
        const auto rank = std::max<std::uint64_t>(1, static_cast<std::uint64_t>(wanted + 0.999999));
        std::uint64_t seen = 0;
        for (std::size_t i = 0; i < kBuckets; ++i) {
            seen += counts[i];
            if (seen >= rank) {
                return (lowerBoundOf(i) + upperBoundOf(i)) / 2;
            }
        }
        return upperBoundOf(kBuckets - 1);
    }

    /// The bucket of `us` microseconds; public for the tests.
    [[nodiscard]] static constexpr std::size_t bucketOf(std::uint64_t us) noexcept
    {
        if (us < 8) {
            return static_cast<std::size_t>(us);
        }
        const int msb = 63 - std::countl_zero(us);
        const std::size_t bucket = static_cast<std::size_t>(msb - 2) * 8 + ((us >> (msb - 3)) & 7);
        return std::min(bucket, kBuckets - 1);
    }
    /// The smallest value (µs) of bucket `bucket`.
    [[nodiscard]] static constexpr std::uint64_t lowerBoundOf(std::size_t bucket) noexcept
    {
        if (bucket < 8) {
            return bucket;
        }
        const std::size_t msb = bucket / 8 + 2;
        return (std::uint64_t{8} + bucket % 8) << (msb - 3);
    }
    /// The largest value (µs) of bucket `bucket`.
    [[nodiscard]] static constexpr std::uint64_t upperBoundOf(std::size_t bucket) noexcept
    {
        return bucket + 1 < kBuckets ? lowerBoundOf(bucket + 1) - 1 : lowerBoundOf(bucket);
    }

private:
    std::array<std::atomic<std::uint64_t>, kBuckets> m_buckets{};
    std::atomic<std::uint64_t> m_count{0};
};

} // namespace waferscope::runtime
