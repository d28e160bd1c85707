#include <waferscope/hardware/sim/simulated_machine.h>

#include <waferscope/hardware/sim/fault_spec_error.h>

#include "machine_model.h"
#include "simulated_camera.h"
#include "simulated_devices.h"

namespace waferscope::hardware::sim {

struct SimulatedMachine::Parts {
    explicit Parts(SimulatorConfig configuration)
        : config((configuration.validate(), std::move(configuration)))
        , model(config)
        , camera(model)
        , stage(model)
        , illumination(model)
        , vacuumChuck(model)
        , controller(model)
    {
    }

    const SimulatorConfig config; // the model and devices refer to it: declared first, so it outlives them
    detail::MachineModel model;
    detail::SimulatedCamera camera;
    detail::SimulatedStage stage;
    detail::SimulatedIllumination illumination;
    detail::SimulatedVacuumChuck vacuumChuck;
    detail::SimulatedMachineController controller;
};

SimulatedMachine::SimulatedMachine(SimulatorConfig config)
    : m_parts(std::make_unique<Parts>(std::move(config)))
{
}

SimulatedMachine::~SimulatedMachine() = default;

const core::DieGrid &SimulatedMachine::dieGrid() const noexcept
{
    return m_parts->model.grid();
}

Camera &SimulatedMachine::camera() noexcept
{
    return m_parts->camera;
}

Stage &SimulatedMachine::stage() noexcept
{
    return m_parts->stage;
}

Illumination &SimulatedMachine::illumination() noexcept
{
    return m_parts->illumination;
}

VacuumChuck &SimulatedMachine::vacuumChuck() noexcept
{
    return m_parts->vacuumChuck;
}

MachineController &SimulatedMachine::controller() noexcept
{
    return m_parts->controller;
}

const SimulatorConfig &SimulatedMachine::config() const noexcept
{
    return m_parts->config;
}

runtime::TimePoint SimulatedMachine::powerOnTime() const noexcept
{
    return m_parts->model.powerOn();
}

FaultSpec SimulatedMachine::injectFault(FaultSpec fault)
{
    static_cast<void>(FaultSpec::parse(fault.toString())); // throws FaultSpecError, as validate() reads it
    return m_parts->model.injectFault(fault, detail::MachineModel::now());
}

WaferTruth SimulatedMachine::truth(const core::WaferId &waferId) const
{
    return WaferTruth::generate(m_parts->config, waferId);
}

} // namespace waferscope::hardware::sim
