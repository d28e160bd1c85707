#include "simulator_setup.h"

#include <waferscope/core/validation_error.h>
#include <waferscope/hardware/sim/fault_spec.h>

namespace waferscope::app {

hardware::sim::SimulatorConfig simulatorConfig(const core::Recipe &recipe, std::optional<std::uint64_t> seed,
                                               const std::vector<std::string> &extraFaults, bool isUnpaced)
{
    hardware::sim::SimulatorConfig config;
    config.seed = seed.value_or(recipe.simulator.seed);
    config.wafer = recipe.wafer;
    config.image.width = recipe.frame.widthPx;
    config.image.height = recipe.frame.heightPx;
    config.image.pixelSizeUm = recipe.frame.pixelSizeUm;
    config.defects.densityPerCm2 = recipe.simulator.defectDensityPerCm2;
    config.timing.framesPerSecond = recipe.simulator.framesPerSecond;
    config.timing.pacing = isUnpaced ? hardware::sim::SimulatorConfig::Pacing::Unpaced
                                     : hardware::sim::SimulatorConfig::Pacing::Realtime;
    std::vector<core::ValidationError::Issue> issues;
    auto add = [&](const std::string &text, std::string where) {
        try {
            config.faults.push_back(hardware::sim::FaultSpec::parse(text));
        } catch (const std::exception &e) {
            issues.push_back({std::move(where), e.what()});
        }
    };
    for (std::size_t i = 0; i < recipe.simulator.faults.size(); ++i) {
        add(recipe.simulator.faults[i], "simulator.faults[" + std::to_string(i) + "]");
    }
    for (std::size_t i = 0; i < extraFaults.size(); ++i) {
        add(extraFaults[i], "--fault #" + std::to_string(i + 1));
    }
    if (!issues.empty()) {
        throw core::ValidationError("simulator faults", std::move(issues));
    }
    config.validate();
    return config;
}

} // namespace waferscope::app
