#pragma once

/// The simulated machine's stage, lamp, vacuum chuck and controller: thin views of the shared
/// MachineModel. Their polls complete synchronously (ValueTask::fromResult) from the model's cached
/// sample and allocate nothing; a real device would return a pending task while a bus transaction
/// is in flight, which the simulator never has.
/// Threads: any thread (the model guards its state). Allocates: nothing, except the coroutine frame
/// of a Realtime moveTo(), drawn from the per-thread frame pool.

#include <waferscope/hardware/illumination.h>
#include <waferscope/hardware/machine_controller.h>
#include <waferscope/hardware/stage.h>
#include <waferscope/hardware/vacuum_chuck.h>

#include "machine_model.h"

namespace waferscope::hardware::sim::detail {

class SimulatedStage final : public Stage
{
public:
    explicit SimulatedStage(MachineModel &model) noexcept
        : m_model(model)
    {
    }
    [[nodiscard]] runtime::ValueTask<StageState> moveTo(core::DieIndex die) override;
    [[nodiscard]] runtime::ValueTask<StageState> state() override;

private:
    runtime::ValueTask<StageState> moveAndSettle(core::DieIndex die);
    MachineModel &m_model;
};

class SimulatedIllumination final : public Illumination
{
public:
    explicit SimulatedIllumination(MachineModel &model) noexcept
        : m_model(model)
    {
    }
    [[nodiscard]] runtime::ValueTask<void> setIntensity(double percent) override;
    [[nodiscard]] runtime::ValueTask<IlluminationState> state() override;

private:
    MachineModel &m_model;
};

class SimulatedVacuumChuck final : public VacuumChuck
{
public:
    explicit SimulatedVacuumChuck(MachineModel &model) noexcept
        : m_model(model)
    {
    }
    [[nodiscard]] runtime::ValueTask<void> clamp() override;
    [[nodiscard]] runtime::ValueTask<void> release() override;
    [[nodiscard]] runtime::ValueTask<VacuumState> state() override;

private:
    MachineModel &m_model;
};

class SimulatedMachineController final : public MachineController
{
public:
    explicit SimulatedMachineController(MachineModel &model) noexcept
        : m_model(model)
    {
    }
    [[nodiscard]] runtime::ValueTask<Heartbeat> heartbeat() override;
    [[nodiscard]] runtime::ValueTask<MachineState> state() override;

private:
    MachineModel &m_model;
};

} // namespace waferscope::hardware::sim::detail
