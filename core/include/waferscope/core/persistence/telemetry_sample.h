#pragma once

/// TelemetrySample: one reading of one machine channel ("vacuum.kpa") at one time, and the run it
/// was taken during — none (the default RunId) while the machine idles.
/// Threads: a value. Allocates: the channel name.

#include <chrono>
#include <string>

#include <waferscope/core/run_id.h>

namespace waferscope::core {

struct TelemetrySample {
    using Time = std::chrono::system_clock::time_point;

    RunId runId;
    std::string channel; ///< not empty
    Time at;
    double value = 0.0;

    friend bool operator==(const TelemetrySample &, const TelemetrySample &) = default;
};

} // namespace waferscope::core
