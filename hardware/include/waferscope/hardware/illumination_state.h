#pragma once

/// IlluminationState: the lamp's polled state — intensity set-point and readback in percent of
/// full power, and the hours the lamp has burnt. A readback below the set-point is a degrading lamp.
/// Threads: a value. Allocates: nothing.

#include <waferscope/runtime/executor.h>

namespace waferscope::hardware {

struct IlluminationState {
    double setpointPercent = 0.0;
    double readbackPercent = 0.0;
    double lampHours = 0.0;
    runtime::TimePoint timestamp{}; ///< when the state was sampled, on the machine's clock
};

} // namespace waferscope::hardware
