#include "services/telemetry_batch_pool.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>

namespace waferscope::pipelines::detail {

TelemetryBatchPool::TelemetryBatchPool(std::size_t buffers, std::size_t capacity)
    : m_buffers(buffers)
{
    m_free.reserve(buffers);
    for (std::vector<TelemetrySample> &buffer : m_buffers) {
        buffer.reserve(capacity);
        m_free.push_back(&buffer);
    }
}

TelemetryBatchPool::~TelemetryBatchPool()
{
    if (m_free.size() != m_buffers.size()) {
        std::fprintf(stderr, "telemetry batch pool destroyed with %zu of %zu batches not returned\n",
                     m_buffers.size() - m_free.size(), m_buffers.size());
        std::abort();
    }
}

std::vector<TelemetrySample> *TelemetryBatchPool::take() noexcept
{
    const std::lock_guard lock(m_mutex);
    if (m_free.empty()) {
        return nullptr;
    }
    std::vector<TelemetrySample> *buffer = m_free.back();
    m_free.pop_back();
    return buffer;
}

void TelemetryBatchPool::giveBack(std::vector<TelemetrySample> &buffer) noexcept
{
    const bool isOwn = std::any_of(m_buffers.begin(), m_buffers.end(),
                                   [&](const std::vector<TelemetrySample> &b) { return &b == &buffer; });
    buffer.clear(); // keeps the capacity
    const std::lock_guard lock(m_mutex);
    if (!isOwn || std::find(m_free.begin(), m_free.end(), &buffer) != m_free.end()) {
        std::fprintf(stderr, "telemetry batch pool: a buffer came back that is %s\n",
                     isOwn ? "free already" : "not the pool's");
        std::abort();
    }
    m_free.push_back(&buffer);
}

std::size_t TelemetryBatchPool::freeCount() const noexcept
{
    const std::lock_guard lock(m_mutex);
    return m_free.size();
}

} // namespace waferscope::pipelines::detail
