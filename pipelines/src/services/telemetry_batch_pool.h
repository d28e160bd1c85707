#pragma once

/// TelemetryBatchPool: the telemetry batcher's preallocated batch buffers.
/// Lifecycle of a buffer: free (empty, capacity reserved) → taken by the batcher, which fills it →
/// handed out inside a TelemetryBatch → given back when the batch is destroyed: cleared, keeping its
/// capacity, and free again. A buffer has one owner at a time; the pool checks that what comes back
/// is one of its own and is not already free.
/// Threads: take() from the batcher's executor; giveBack() from any thread. One mutex guards the
/// free list, held for a push or a pop.
/// Allocates: every buffer and the free list at construction; nothing afterwards.
/// Destruction: every buffer must be back ("all batches returned"); it aborts with a message
/// otherwise.

#include <cstddef>
#include <mutex>
#include <vector>

#include <waferscope/pipelines/services/telemetry_sample.h>

namespace waferscope::pipelines::detail {

class TelemetryBatchPool
{
public:
    TelemetryBatchPool(std::size_t buffers, std::size_t capacity);
    TelemetryBatchPool(const TelemetryBatchPool &) = delete;
    TelemetryBatchPool &operator=(const TelemetryBatchPool &) = delete;
    ~TelemetryBatchPool();

    /// A free, empty buffer, or nullptr when all are out.
    [[nodiscard]] std::vector<TelemetrySample> *take() noexcept;
    /// Clears `buffer` and makes it free. Aborts on a buffer that is not this pool's or is free already.
    void giveBack(std::vector<TelemetrySample> &buffer) noexcept;
    [[nodiscard]] std::size_t freeCount() const noexcept;

private:
    std::vector<std::vector<TelemetrySample>> m_buffers; // never resized: the addresses stay put
    mutable std::mutex m_mutex;
    std::vector<std::vector<TelemetrySample> *> m_free; // reserved for every buffer
};

} // namespace waferscope::pipelines::detail
