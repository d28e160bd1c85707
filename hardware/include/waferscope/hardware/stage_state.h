#pragma once

/// StageState: the XY stage's polled state — encoder readback and target in wafer mm, following
/// error, whether it is moving, and encoder health. While isEncoderHealthy is false the readback
/// is not to be trusted.
/// Threads: a value. Allocates: nothing.

#include <waferscope/core/point_mm.h>
#include <waferscope/runtime/executor.h>

namespace waferscope::hardware {

struct StageState {
    core::PointMm position;
    core::PointMm target;
    double followingErrorUm = 0.0;
    bool isMoving = false;
    bool isEncoderHealthy = true;
    runtime::TimePoint timestamp{}; ///< when the state was sampled, on the machine's clock
};

} // namespace waferscope::hardware
