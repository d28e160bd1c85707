#pragma once

/// RunRequest: what an operator asks for — a lot of wafers inspected with a recipe.
/// Threads: a value. Allocates: its strings and lists.

#include <cstddef>
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
    /// The carrier slot (1…25) of each wafer, in the order of `wafers`; empty when the wafers fill
    /// the carrier from slot 1 in order.
    std::vector<int> carrierSlots;
    std::string operatorName = "operator"; ///< who started it, for the audit log

    /// The carrier slot of wafers[index]: carrierSlots[index] when given, else index + 1.
    [[nodiscard]] int slotOf(std::size_t index) const noexcept
    {
        return index < carrierSlots.size() ? carrierSlots[index] : static_cast<int>(index) + 1;
    }
};

} // namespace waferscope::pipelines
