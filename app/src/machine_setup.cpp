#include "machine_setup.h"

#include <waferscope/hardware/aravis/aravis_camera.h>
#include <waferscope/hardware/hardware_error.h>

#include "simulator_setup.h"

namespace waferscope::app {

/// A machine whose camera is a GigE Vision camera and whose other devices are the simulator's.
class MachineSetup::MixedMachine final : public hardware::Machine
{
public:
    MixedMachine(hardware::sim::SimulatedMachine &simulator, hardware::aravis::AravisCameraConfig config)
        : m_simulator(simulator)
        , m_name("simulator with camera " + config.name())
        , m_camera(std::move(config))
    {
    }

    [[nodiscard]] std::string_view name() const noexcept override { return m_name; }
    [[nodiscard]] const core::DieGrid &dieGrid() const noexcept override { return m_simulator.dieGrid(); }
    [[nodiscard]] hardware::Camera &camera() noexcept override { return m_camera; }
    [[nodiscard]] const hardware::aravis::AravisCamera &gigeCamera() const noexcept { return m_camera; }
    [[nodiscard]] hardware::Stage &stage() noexcept override { return m_simulator.stage(); }
    [[nodiscard]] hardware::Illumination &illumination() noexcept override { return m_simulator.illumination(); }
    [[nodiscard]] hardware::VacuumChuck &vacuumChuck() noexcept override { return m_simulator.vacuumChuck(); }
    [[nodiscard]] hardware::MachineController &controller() noexcept override { return m_simulator.controller(); }

private:
    hardware::sim::SimulatedMachine &m_simulator;
    std::string m_name;
    hardware::aravis::AravisCamera m_camera;
};

MachineSetup::MachineSetup(const core::Recipe &recipe, const CommandLine &options)
    : m_simulator(std::make_unique<hardware::sim::SimulatedMachine>(
          simulatorConfig(recipe, options.seed, options.faults, options.isUnpaced)))
{
    if (options.camera.empty()) {
        return;
    }
    constexpr std::string_view kGige = "gige:";
    if (options.camera.rfind(kGige, 0) != 0) {
        throw hardware::HardwareError("camera " + options.camera, "--camera takes gige:ADDRESS (an IPv4 address)");
    }
    hardware::aravis::AravisCameraConfig config;
    config.address = options.camera.substr(kGige.size());
    config.format.width = recipe.frame.widthPx;
    config.format.height = recipe.frame.heightPx;
    config.format.pixelSizeUm = recipe.frame.pixelSizeUm;
    config.framesPerSecond = recipe.simulator.framesPerSecond;
    if (options.cameraPacketSize) {
        config.packetSizeBytes = *options.cameraPacketSize;
    }
    m_mixed = std::make_unique<MixedMachine>(*m_simulator, std::move(config));
}

MachineSetup::~MachineSetup() = default;

hardware::Machine &MachineSetup::machine() noexcept
{
    return m_mixed ? static_cast<hardware::Machine &>(*m_mixed) : *m_simulator;
}

hardware::sim::SimulatedMachine &MachineSetup::simulator() noexcept
{
    return *m_simulator;
}

std::vector<std::pair<std::string, std::uint64_t>> MachineSetup::cameraDrops() const
{
    std::vector<std::pair<std::string, std::uint64_t>> drops;
    if (m_mixed) {
        const auto counts = m_mixed->gigeCamera().droppedFrames();
        for (std::size_t i = 0; i < counts.size(); ++i) {
            drops.emplace_back(hardware::aravis::toText(static_cast<hardware::aravis::AravisCamera::DropReason>(i)),
                               counts[i]);
        }
    }
    return drops;
}

bool MachineSetup::hasRealCamera() const noexcept
{
    return m_mixed != nullptr;
}

} // namespace waferscope::app
