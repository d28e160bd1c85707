#pragma once

/// TelemetryBatch: up to TelemetryBatcherOptions::maxSamples telemetry samples that the persistence
/// writer stores in one transaction, numbered 1, 2, 3, … in the order the batcher closed them, with
/// when the batch opened and closed and why it closed.
/// Ownership: move-only. It holds one of the batcher's pooled buffers; destroying it, once the
/// samples are stored, gives the buffer back for a later batch. A default-constructed or moved-from
/// batch holds nothing.
/// Threads: used by one thread at a time; it may be destroyed on any thread.
/// Allocates: nothing.

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include <waferscope/pipelines/services/telemetry_sample.h>
#include <waferscope/runtime/executor.h>

namespace waferscope::pipelines {

namespace detail {
class TelemetryBatchPool;
} // namespace detail

class TelemetryBatch
{
public:
    enum class CloseReason : std::uint8_t {
        Full,    ///< it reached maxSamples
        Aged,    ///< maxAge passed since it opened
        Flushed, ///< the batcher stopped
    };

    TelemetryBatch() noexcept = default;
    TelemetryBatch(TelemetryBatch &&other) noexcept;
    TelemetryBatch &operator=(TelemetryBatch &&other) noexcept;
    TelemetryBatch(const TelemetryBatch &) = delete;
    TelemetryBatch &operator=(const TelemetryBatch &) = delete;
    ~TelemetryBatch();

    [[nodiscard]] std::span<const TelemetrySample> samples() const noexcept;
    [[nodiscard]] std::size_t size() const noexcept { return samples().size(); }
    [[nodiscard]] bool isEmpty() const noexcept { return size() == 0; }
    [[nodiscard]] std::uint64_t sequence() const noexcept { return m_sequence; }
    [[nodiscard]] runtime::TimePoint openedAt() const noexcept { return m_openedAt; }
    [[nodiscard]] runtime::TimePoint closedAt() const noexcept { return m_closedAt; }
    [[nodiscard]] CloseReason closeReason() const noexcept { return m_closeReason; }

private:
    friend class TelemetryBatcher;
    TelemetryBatch(detail::TelemetryBatchPool &pool, std::vector<TelemetrySample> &buffer, std::uint64_t sequence,
                   runtime::TimePoint openedAt, runtime::TimePoint closedAt, CloseReason reason) noexcept;
    void release() noexcept;

    detail::TelemetryBatchPool *m_pool = nullptr;
    std::vector<TelemetrySample> *m_buffer = nullptr;
    std::uint64_t m_sequence = 0;
    runtime::TimePoint m_openedAt{};
    runtime::TimePoint m_closedAt{};
    CloseReason m_closeReason = CloseReason::Full;
};

} // namespace waferscope::pipelines
