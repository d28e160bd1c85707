#include <waferscope/pipelines/services/telemetry_batcher.h>

#include <algorithm>
#include <optional>
#include <utility>

#include <waferscope/runtime/errors.h>
#include <waferscope/runtime/ticker.h>

#include "services/checked_period.h"
#include "services/telemetry_batch_pool.h"

namespace waferscope::pipelines {

namespace {

runtime::ChannelOptions batchChannelOptions(std::size_t buffers)
{
    runtime::ChannelOptions options;
    options.capacity = buffers; // at most every buffer is a closed batch: a write always finds room
    options.fullMode = runtime::FullMode::Wait;
    return options;
}

TelemetryBatcherOptions checked(TelemetryBatcherOptions options)
{
    options.maxSamples = std::max<std::size_t>(options.maxSamples, 1);
    options.buffers = std::max<std::size_t>(options.buffers, 1);
    options.period = detail::checkedPeriod(options.period, "telemetry batcher");
    return options;
}

} // namespace

TelemetryBatcher::TelemetryBatcher(runtime::Channel<TelemetrySample> &samples, TelemetryBatcherOptions options,
                                   runtime::StatsRegistry *stats)
    : m_samples(samples)
    , m_options(checked(options))
    , m_pool(std::make_unique<detail::TelemetryBatchPool>(m_options.buffers, m_options.maxSamples))
    , m_batches("telemetry.batches", batchChannelOptions(m_options.buffers), stats)
{
    m_registration = runtime::registerStats(stats, "service", "telemetry_batcher", *this);
}

TelemetryBatcher::~TelemetryBatcher()
{
    m_registration = runtime::StatsRegistration{};
    if (m_open != nullptr) {
        m_pool->giveBack(*std::exchange(m_open, nullptr));
    }
}

runtime::Job TelemetryBatcher::run(std::stop_token stop)
{
    if (m_hasRun.exchange(true)) {
        throw runtime::MisuseError("telemetry batcher: run() was called twice");
    }
    return loop(std::move(stop));
}

std::size_t TelemetryBatcher::freeBuffers() const noexcept
{
    return m_pool->freeCount();
}

runtime::Job TelemetryBatcher::loop(std::stop_token stop)
{
    runtime::Executor *executor = runtime::Executor::current();
    runtime::Ticker ticker(m_options.period);
    try {
        for (;;) {
            // Read before deciding to end, so a completed channel is drained first.
            const bool isInputDone = m_samples.isCompleted();
            drain(executor->now());
            if (stop.stop_requested() || (isInputDone && m_samples.size() == 0)) {
                break;
            }
            static_cast<void>(co_await ticker.next());
        }
    } catch (const runtime::OperationCancelled &) {
        // The executor is shutting down: end like a stop request.
    }
    const runtime::TimePoint now = executor->now();
    drain(now);
    if (m_open != nullptr && !m_open->empty()) {
        closeBatch(TelemetryBatch::CloseReason::Flushed, now);
    }
    m_batches.complete();
}

void TelemetryBatcher::drain(runtime::TimePoint now)
{
    if (m_open != nullptr && now - m_openedAt >= m_options.maxAge) {
        closeBatch(TelemetryBatch::CloseReason::Aged, now);
    }
    for (;;) {
        if (m_open == nullptr) {
            if (m_samples.size() == 0) {
                return;
            }
            if (!openBatch(now)) {
                m_bufferStalls.add(); // the samples wait in their channel until the writer gives one back
                return;
            }
        }
        std::optional<TelemetrySample> sample = m_samples.tryRead();
        if (!sample) {
            return;
        }
        m_open->push_back(*sample);
        m_samplesBatched.add();
        if (m_open->size() >= m_options.maxSamples) {
            closeBatch(TelemetryBatch::CloseReason::Full, now);
        }
    }
}

bool TelemetryBatcher::openBatch(runtime::TimePoint now)
{
    m_open = m_pool->take();
    m_openedAt = now;
    return m_open != nullptr;
}

void TelemetryBatcher::closeBatch(TelemetryBatch::CloseReason reason, runtime::TimePoint now)
{
    std::vector<TelemetrySample> &buffer = *std::exchange(m_open, nullptr);
    m_batchSize.set(static_cast<std::int64_t>(buffer.size()));
    switch (reason) {
    case TelemetryBatch::CloseReason::Full:
        m_batchesFull.add();
        break;
    case TelemetryBatch::CloseReason::Aged:
        m_batchesAged.add();
        break;
    case TelemetryBatch::CloseReason::Flushed:
        m_batchesFlushed.add();
        break;
    }
    m_batchesClosed.add();
    TelemetryBatch batch(*m_pool, buffer, m_nextSequence++, m_openedAt, now, reason);
    // Never full — it holds as many batches as there are buffers — so only a channel its reader
    // completed refuses the batch, which then gives its buffer back here.
    if (!m_batches.tryWrite(std::move(batch))) {
        m_batchesRefused.add();
    }
}

void TelemetryBatcher::collect(runtime::MetricSink &sink) const
{
    sink.add("samples", m_samplesBatched.value());
    sink.add("batches", m_batchesClosed.value());
    sink.add("batches_full", m_batchesFull.value());
    sink.add("batches_aged", m_batchesAged.value());
    sink.add("batches_flushed", m_batchesFlushed.value());
    sink.add("batch_size_last", m_batchSize.value());
    sink.add("batch_size_max", m_batchSize.highWater());
    sink.add("buffer_stalls", m_bufferStalls.value());
    sink.add("batches_refused", m_batchesRefused.value());
    sink.add("buffers_free", static_cast<std::uint64_t>(freeBuffers()));
}

} // namespace waferscope::pipelines
