#pragma once

/// VacuumChuck: holds the wafer down by vacuum. clamp() switches the vacuum on, release() off;
/// state() completes at once from the cached device state.
/// Faults: a vacuum drop shows as a low pressure and an unclamped wafer, not as an exception.
/// Threads: any thread. Allocates: nothing.

#include <waferscope/hardware/vacuum_state.h>
#include <waferscope/runtime/value_task.h>

namespace waferscope::hardware {

class VacuumChuck
{
public:
    VacuumChuck() = default;
    VacuumChuck(const VacuumChuck &) = delete;
    VacuumChuck &operator=(const VacuumChuck &) = delete;
    virtual ~VacuumChuck() = default;

    [[nodiscard]] virtual runtime::ValueTask<void> clamp() = 0;
    [[nodiscard]] virtual runtime::ValueTask<void> release() = 0;
    [[nodiscard]] virtual runtime::ValueTask<VacuumState> state() = 0;
};

} // namespace waferscope::hardware
