#pragma once

/// VacuumState: the vacuum chuck's polled state — the hold-down pressure in kPa below atmosphere
/// (0 with the vacuum off; higher holds harder), whether the vacuum is switched on, and whether
/// the wafer is clamped (on, and the pressure at or above the clamping threshold).
/// Threads: a value. Allocates: nothing.

#include <waferscope/runtime/executor.h>

namespace waferscope::hardware {

struct VacuumState {
    double pressureKpa = 0.0;
    bool isVacuumOn = false;
    bool isWaferClamped = false;
    runtime::TimePoint timestamp{}; ///< when the state was sampled, on the machine's clock
};

} // namespace waferscope::hardware
