#pragma once

/// GemLotStart: a lot a host asked for with S2F41 START, its parameters checked: the lot id, the
/// recipe file (PPID) parsed and valid, and the number of wafers.
/// Threads: a value. Allocates: its strings and recipe.

#include <string>

#include <waferscope/core/recipes/recipe.h>

namespace waferscope::pipelines::gem {

struct GemLotStart {
    std::string lotId;
    std::string ppid;
    core::Recipe recipe;
    std::string recipeJson;
    int wafers = 1;
};

} // namespace waferscope::pipelines::gem
