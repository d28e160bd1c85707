#pragma once

/// HardwarePollerOptions: how often the hardware poller polls, how far each analog channel must
/// move before it is published again, and how many samples its channel buffers.
/// Deadbands: an analog channel is published when it differs from its last published value by at
/// least its deadband, or by anything when the deadband is 0; booleans and enums on any change.
/// Threads: a value. Allocates: nothing.

#include <chrono>
#include <cstddef>

#include <waferscope/runtime/executor.h>

namespace waferscope::pipelines {

struct HardwarePollerOptions {
    runtime::Clock::duration period = std::chrono::milliseconds(5); ///< 200 Hz
    double positionDeadbandMm = 0.001;
    double followingErrorDeadbandUm = 0.5;
    double intensityDeadbandPercent = 0.5;
    double lampHoursDeadband = 0.01;
    /// Wider than the ripple of a healthy vacuum pump (±0.2 kPa), so a steady chuck publishes nothing.
    double pressureDeadbandKpa = 0.5;
    std::size_t sampleCapacity = 4096;
};

} // namespace waferscope::pipelines
