#pragma once

/// ScanPlan: what a camera acquires — the run and the wafer, and the dies in the order to visit
/// them. fullWafer() plans every die of a grid in the grid's serpentine scan order.
/// Threads: a value. Allocates: the die list.

#include <vector>

#include <waferscope/core/die_grid.h>
#include <waferscope/core/die_index.h>
#include <waferscope/core/run_id.h>
#include <waferscope/core/wafer_id.h>

namespace waferscope::hardware {

struct ScanPlan {
    core::RunId runId;
    core::WaferId waferId;
    std::vector<core::DieIndex> dies;

    [[nodiscard]] static ScanPlan fullWafer(core::RunId runId, core::WaferId waferId, const core::DieGrid &grid);
};

} // namespace waferscope::hardware
