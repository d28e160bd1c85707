#pragma once

/// ConsoleServices: what the view models work with, handed to each by the composition root — the
/// engine facade, the machine (for its die grid and name), the stats registry, the user directory,
/// where recipes live, and the process's allocation count when it is counted. Plain references: everything here outlives the view models.
/// Threads: the GUI thread. Allocates: nothing.

#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>

#include <waferscope/core/users/user_directory.h>
#include <waferscope/hardware/machine.h>
#include <waferscope/pipelines/engine/inspection_engine.h>
#include <waferscope/runtime/stats_registry.h>

namespace waferscope::viewmodels {

struct ConsoleServices {
    pipelines::InspectionEngine &engine;
    hardware::Machine &machine;
    runtime::StatsRegistry &stats;
    core::UserDirectory &users;
    std::filesystem::path recipeFolder;
    bool isSimulated = true;
    /// Allocations made by the whole process so far, when the program counts them; empty otherwise.
    std::function<std::uint64_t()> processAllocations;
    /// On the simulated machine: starts a fault now from its text form ("vacuum-drop:start=0s,
    /// duration=5s,kpa=20"), throwing for a bad one; empty on a real machine.
    std::function<void(const std::string &spec)> injectFault;
};

} // namespace waferscope::viewmodels
