#include <waferscope/hardware/scan_plan.h>

namespace waferscope::hardware {

ScanPlan ScanPlan::fullWafer(core::RunId runId, core::WaferId waferId, const core::DieGrid &grid)
{
    return ScanPlan{runId, waferId, std::vector<core::DieIndex>(grid.scanOrder().begin(), grid.scanOrder().end())};
}

} // namespace waferscope::hardware
