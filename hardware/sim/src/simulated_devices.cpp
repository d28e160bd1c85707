#include "simulated_devices.h"

#include <algorithm>
#include <cmath>
#include <exception>

#include <waferscope/hardware/hardware_error.h>
#include <waferscope/runtime/sleep_operation.h>

namespace waferscope::hardware::sim::detail {

using runtime::ValueTask;

runtime::ValueTask<StageState> SimulatedStage::moveTo(core::DieIndex die)
{
    if (!m_model.grid().contains(die)) {
        return ValueTask<StageState>::fromException(std::make_exception_ptr(
            HardwareError("stage", "die " + core::toText(die) + " is not on the machine's die grid")));
    }
    if (m_model.isScanning()) {
        return ValueTask<StageState>::fromException(
            std::make_exception_ptr(HardwareError("stage", "a scan owns the stage; stop the camera first")));
    }
    return moveAndSettle(die);
}

runtime::ValueTask<StageState> SimulatedStage::moveAndSettle(core::DieIndex die)
{
    const runtime::TimePoint settled = m_model.beginMove(die, MachineModel::now());
    if (settled > MachineModel::now()) {
        co_await runtime::sleepUntil(settled);
    }
    co_return m_model.stageStateAt(std::max(settled, MachineModel::now()));
}

runtime::ValueTask<StageState> SimulatedStage::state()
{
    return ValueTask<StageState>::fromResult(m_model.stageState(MachineModel::now()));
}

runtime::ValueTask<void> SimulatedIllumination::setIntensity(double percent)
{
    if (!std::isfinite(percent) || percent < 0.0 || percent > 100.0) {
        return ValueTask<void>::fromException(std::make_exception_ptr(HardwareError(
            "illumination", "intensity " + std::to_string(percent) + " % is outside 0…100 %")));
    }
    m_model.setIntensity(percent);
    return ValueTask<void>::completed();
}

runtime::ValueTask<IlluminationState> SimulatedIllumination::state()
{
    return ValueTask<IlluminationState>::fromResult(m_model.illuminationState(MachineModel::now()));
}

runtime::ValueTask<void> SimulatedVacuumChuck::clamp()
{
    m_model.setVacuumOn(true);
    return ValueTask<void>::completed();
}

runtime::ValueTask<void> SimulatedVacuumChuck::release()
{
    m_model.setVacuumOn(false);
    return ValueTask<void>::completed();
}

runtime::ValueTask<VacuumState> SimulatedVacuumChuck::state()
{
    return ValueTask<VacuumState>::fromResult(m_model.vacuumState(MachineModel::now()));
}

runtime::ValueTask<Heartbeat> SimulatedMachineController::heartbeat()
{
    return ValueTask<Heartbeat>::fromResult(m_model.heartbeat(MachineModel::now()));
}

runtime::ValueTask<MachineState> SimulatedMachineController::state()
{
    return ValueTask<MachineState>::fromResult(m_model.machineState());
}

} // namespace waferscope::hardware::sim::detail
