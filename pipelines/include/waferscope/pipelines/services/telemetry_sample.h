#pragma once

/// TelemetrySample: one reading of a device channel that changed — the run it belongs to, its
/// source (a static name such as "vacuum.pressure_kpa"), when it was polled and its value.
/// Values: every channel is one double; booleans read 0 or 1, enums their numeric value.
/// Source: points at static text that lives as long as the program, so a sample copies it without
/// allocating.
/// Threads: a value. Allocates: nothing.

#include <string_view>

#include <waferscope/core/run_id.h>
#include <waferscope/runtime/executor.h>

namespace waferscope::pipelines {

struct TelemetrySample {
    core::RunId runId;
    std::string_view source;
    runtime::TimePoint time{}; ///< when it was polled, on the poller's executor clock
    double value = 0.0;

    friend bool operator==(const TelemetrySample &, const TelemetrySample &) = default;
};

} // namespace waferscope::pipelines
