#pragma once

/// ConsoleServices: what the view models work with, handed to each by the composition root — the
/// engine facade (the only door to the machine and its pipelines), the user directory, where
/// recipes live, and the process's allocation count when it is counted. Plain references:
/// everything here outlives the view models.
/// Threads: the GUI thread. Allocates: nothing.

#include <cstdint>
#include <filesystem>
#include <functional>

#include <waferscope/core/users/user_directory.h>
#include <waferscope/pipelines/engine/engine_facade.h>

namespace waferscope::viewmodels {

struct ConsoleServices {
    pipelines::EngineFacade &engine;
    core::UserDirectory &users;
    std::filesystem::path recipeFolder;
    /// Allocations made by the whole process so far, when the program counts them; empty otherwise.
    std::function<std::uint64_t()> processAllocations;
};

} // namespace waferscope::viewmodels
