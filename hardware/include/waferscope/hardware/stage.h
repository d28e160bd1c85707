#pragma once

/// Stage: the XY stage that carries the wafer under the optics.
/// moveTo() brings a die's centre under the optics and completes once the stage has settled;
/// state() completes at once from the cached device state.
/// Faults: an encoder error or a following error shows in StageState, not as an exception.
/// Errors: HardwareError for a die off the machine's grid, or a move while a scan owns the stage.
/// Threads: any thread; moveTo() resumes on the caller's executor.
/// Allocates: state() nothing; moveTo() nothing once the coroutine frame pool is warm.

#include <waferscope/core/die_index.h>
#include <waferscope/hardware/stage_state.h>
#include <waferscope/runtime/value_task.h>

namespace waferscope::hardware {

class Stage
{
public:
    Stage() = default;
    Stage(const Stage &) = delete;
    Stage &operator=(const Stage &) = delete;
    virtual ~Stage() = default;

    [[nodiscard]] virtual runtime::ValueTask<StageState> moveTo(core::DieIndex die) = 0;
    [[nodiscard]] virtual runtime::ValueTask<StageState> state() = 0;
};

} // namespace waferscope::hardware
