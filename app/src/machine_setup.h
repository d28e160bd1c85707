#pragma once

// The machine the command line asks for, composed in one place: the simulated machine, or the
// simulated machine with its camera replaced by a GigE Vision camera through Aravis
// (--camera gige:ADDRESS) — stage, lamp, vacuum chuck and controller stay simulated.

#include <memory>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include <waferscope/core/recipes/recipe.h>
#include <waferscope/hardware/machine.h>
#include <waferscope/hardware/sim/simulated_machine.h>

#include "command_line.h"

namespace waferscope::app {

class MachineSetup
{
public:
    /// Builds the simulator from the recipe and the command line, and opens the camera the
    /// command line names. Throws core::ValidationError for faults that cannot be read and
    /// hardware::HardwareError, naming the camera and the feature, for a camera that cannot be used.
    MachineSetup(const core::Recipe &recipe, const CommandLine &options);
    ~MachineSetup();
    MachineSetup(const MachineSetup &) = delete;
    MachineSetup &operator=(const MachineSetup &) = delete;

    /// The machine the engine drives.
    [[nodiscard]] hardware::Machine &machine() noexcept;
    /// The simulated part: the whole machine, or every device but the camera.
    [[nodiscard]] hardware::sim::SimulatedMachine &simulator() noexcept;
    /// True when the camera is a real one: the simulator's truth says nothing about its images.
    [[nodiscard]] bool hasRealCamera() const noexcept;
    /// Frames the real camera received but did not hand on, by reason ("missing_packets", …);
    /// empty for the simulator's camera.
    [[nodiscard]] std::vector<std::pair<std::string, std::uint64_t>> cameraDrops() const;

private:
    class MixedMachine;
    std::unique_ptr<hardware::sim::SimulatedMachine> m_simulator;
    std::unique_ptr<MixedMachine> m_mixed;
};

} // namespace waferscope::app
