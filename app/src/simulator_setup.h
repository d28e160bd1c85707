#pragma once

// Builds the simulated machine's configuration from a recipe and the command line.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <waferscope/core/recipes/recipe.h>
#include <waferscope/hardware/sim/simulator_config.h>

namespace waferscope::app {

/// The machine a recipe describes: its wafer, frames, defect density, frame rate, seed and fault
/// timeline, plus `extraFaults` from the command line. Throws core::ValidationError naming each
/// fault spec that cannot be read ("simulator.faults[1]", "--fault #2").
[[nodiscard]] hardware::sim::SimulatorConfig simulatorConfig(const core::Recipe &recipe,
                                                              std::optional<std::uint64_t> seed,
                                                              const std::vector<std::string> &extraFaults, bool isUnpaced);

} // namespace waferscope::app
