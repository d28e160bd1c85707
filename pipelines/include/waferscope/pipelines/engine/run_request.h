#pragma once

/// RunRequest: what an operator asks for — a lot of wafers inspected with a recipe.
/// Threads: a value. Allocates: its strings and lists.

#include <string>
#include <vector>

#include <waferscope/core/recipes/recipe.h>
#include <waferscope/core/wafer_id.h>

namespace waferscope::pipelines {

struct RunRequest {
    core::Recipe recipe;
    std::string recipeJson; ///< the recipe as loaded, for the run's record; may be empty
    std::string lotId;
    std::vector<core::WaferId> wafers;
    std::string operatorName = "operator"; ///< who started it, for the audit log
};

} // namespace waferscope::pipelines
