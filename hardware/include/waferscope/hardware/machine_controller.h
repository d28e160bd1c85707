#pragma once

/// MachineController: the machine's supervisor — its heartbeat and the machine state. Both complete
/// at once from the cached device state.
/// Threads: any thread. Allocates: nothing.

#include <waferscope/hardware/heartbeat.h>
#include <waferscope/hardware/machine_state.h>
#include <waferscope/runtime/value_task.h>

namespace waferscope::hardware {

class MachineController
{
public:
    MachineController() = default;
    MachineController(const MachineController &) = delete;
    MachineController &operator=(const MachineController &) = delete;
    virtual ~MachineController() = default;

    [[nodiscard]] virtual runtime::ValueTask<Heartbeat> heartbeat() = 0;
    [[nodiscard]] virtual runtime::ValueTask<MachineState> state() = 0;
};

} // namespace waferscope::hardware
