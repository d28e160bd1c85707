#pragma once

/// TelemetryBatcher: groups the poller's telemetry samples into batches for the persistence writer,
/// which stores one batch per transaction.
/// Batches: a batch opens at the tick that reads its first sample and closes when it holds
/// maxSamples samples (at once), or at the first tick maxAge after it opened, whichever comes
/// first; samples keep their order across batches. Closed batches go to batches().
/// Buffers: every batch is one of `buffers` preallocated vectors, given back when the writer
/// destroys the batch. While none is free the batcher reads nothing (counted: buffer_stalls), so
/// samples wait in the poller's DropOldest channel, where any overflow is counted: the batcher
/// never allocates and never waits for the writer.
/// States: idle → running (run(), at most once) → stopped. It stops when asked (at its next tick),
/// when its executor shuts down, or when the samples channel is completed and drained; it then reads
/// what is buffered, closes the open batch as Flushed and completes batches().
/// Threads: run() is a Job for one executor with timers, and resumes only there; batches() has one
/// reader; batches may be destroyed on any thread. The batcher must outlive every batch (its
/// destructor checks "all batches returned").
/// Allocates: the buffers, at construction; nothing per sample, per batch or per tick.
/// Counters (stats registry kind "service", name "telemetry_batcher"): samples, batches,
/// batches_full, batches_aged, batches_flushed, batch_size_last, batch_size_max, buffer_stalls,
/// batches_refused (by a batches() channel its reader completed), buffers_free.

#include <atomic>
#include <cstdint>
#include <memory>
#include <stop_token>
#include <vector>

#include <waferscope/pipelines/services/telemetry_batch.h>
#include <waferscope/pipelines/services/telemetry_batcher_options.h>
#include <waferscope/pipelines/services/telemetry_sample.h>
#include <waferscope/runtime/channel.h>
#include <waferscope/runtime/counter.h>
#include <waferscope/runtime/job.h>
#include <waferscope/runtime/stats_registry.h>

namespace waferscope::pipelines {

class TelemetryBatcher final : private runtime::StatsProvider
{
public:
    /// Reads `samples` (one reader: this batcher), which must outlive it. Throws
    /// std::invalid_argument when options.period is not positive.
    explicit TelemetryBatcher(runtime::Channel<TelemetrySample> &samples, TelemetryBatcherOptions options = {},
                              runtime::StatsRegistry *stats = nullptr);
    TelemetryBatcher(const TelemetryBatcher &) = delete;
    TelemetryBatcher &operator=(const TelemetryBatcher &) = delete;
    ~TelemetryBatcher() override;

    /// The batching loop, to spawn on the batcher's executor. Throws MisuseError when called twice.
    [[nodiscard]] runtime::Job run(std::stop_token stop = {});

    /// Closed batches, in order; one reader (the persistence writer). Never full: it holds as many
    /// batches as there are buffers.
    [[nodiscard]] runtime::Channel<TelemetryBatch> &batches() noexcept { return m_batches; }

    [[nodiscard]] std::uint64_t samplesBatched() const noexcept { return m_samplesBatched.value(); }
    [[nodiscard]] std::uint64_t batchesClosed() const noexcept { return m_batchesClosed.value(); }
    [[nodiscard]] std::uint64_t bufferStalls() const noexcept { return m_bufferStalls.value(); }
    [[nodiscard]] std::size_t freeBuffers() const noexcept;

private:
    runtime::Job loop(std::stop_token stop);
    /// Precondition (for every helper below): on the batcher's executor.
    void drain(runtime::TimePoint now);
    bool openBatch(runtime::TimePoint now);
    void closeBatch(TelemetryBatch::CloseReason reason, runtime::TimePoint now);
    void collect(runtime::MetricSink &sink) const override;

    runtime::Channel<TelemetrySample> &m_samples;
    TelemetryBatcherOptions m_options;
    std::atomic<bool> m_hasRun{false};
    // Declared before m_batches, so batches still in the channel return their buffers before it goes.
    std::unique_ptr<detail::TelemetryBatchPool> m_pool;

    // The batcher's executor only.
    std::vector<TelemetrySample> *m_open = nullptr;
    runtime::TimePoint m_openedAt{};
    std::uint64_t m_nextSequence = 1;

    runtime::Channel<TelemetryBatch> m_batches;
    runtime::Counter m_samplesBatched;
    runtime::Counter m_batchesClosed;
    runtime::Counter m_batchesFull;
    runtime::Counter m_batchesAged;
    runtime::Counter m_batchesFlushed;
    runtime::Gauge m_batchSize;
    runtime::Counter m_bufferStalls;
    runtime::Counter m_batchesRefused;
    runtime::StatsRegistration m_registration;
};

} // namespace waferscope::pipelines
