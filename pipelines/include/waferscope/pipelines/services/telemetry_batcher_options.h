#pragma once

/// TelemetryBatcherOptions: how the telemetry batcher groups samples — at most maxSamples per batch,
/// and a batch closes no later than maxAge after it opened — how often it looks for samples, and
/// how many batch buffers it owns (one being filled, the rest with the writer or on the way).
/// Threads: a value. Allocates: nothing.

#include <chrono>
#include <cstddef>

#include <waferscope/runtime/executor.h>

namespace waferscope::pipelines {

struct TelemetryBatcherOptions {
    std::size_t maxSamples = 1000;
    runtime::Clock::duration maxAge = std::chrono::seconds(1);
    /// A divisor of maxAge, so an aged batch closes exactly maxAge after it opened.
    runtime::Clock::duration period = std::chrono::milliseconds(50);
    std::size_t buffers = 4;
};

} // namespace waferscope::pipelines
