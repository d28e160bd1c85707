#include <waferscope/pipelines/services/telemetry_batch.h>

#include <utility>

#include "services/telemetry_batch_pool.h"

namespace waferscope::pipelines {

TelemetryBatch::TelemetryBatch(detail::TelemetryBatchPool &pool, std::vector<TelemetrySample> &buffer,
                               std::uint64_t sequence, runtime::TimePoint openedAt, runtime::TimePoint closedAt,
                               CloseReason reason) noexcept
    : m_pool(&pool)
    , m_buffer(&buffer)
    , m_sequence(sequence)
    , m_openedAt(openedAt)
    , m_closedAt(closedAt)
    , m_closeReason(reason)
{
}

TelemetryBatch::TelemetryBatch(TelemetryBatch &&other) noexcept
    : m_pool(std::exchange(other.m_pool, nullptr))
    , m_buffer(std::exchange(other.m_buffer, nullptr))
    , m_sequence(other.m_sequence)
    , m_openedAt(other.m_openedAt)
    , m_closedAt(other.m_closedAt)
    , m_closeReason(other.m_closeReason)
{
}

TelemetryBatch &TelemetryBatch::operator=(TelemetryBatch &&other) noexcept
{
    if (this != &other) {
        release();
        m_pool = std::exchange(other.m_pool, nullptr);
        m_buffer = std::exchange(other.m_buffer, nullptr);
        m_sequence = other.m_sequence;
        m_openedAt = other.m_openedAt;
        m_closedAt = other.m_closedAt;
        m_closeReason = other.m_closeReason;
    }
    return *this;
}

TelemetryBatch::~TelemetryBatch()
{
    release();
}

std::span<const TelemetrySample> TelemetryBatch::samples() const noexcept
{
    if (m_buffer == nullptr) {
        return {};
    }
    return {m_buffer->data(), m_buffer->size()};
}

void TelemetryBatch::release() noexcept
{
    if (m_buffer != nullptr) {
        m_pool->giveBack(*std::exchange(m_buffer, nullptr));
        m_pool = nullptr;
    }
}

} // namespace waferscope::pipelines
