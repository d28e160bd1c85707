#include <waferscope/hardware/sim/wafer_truth.h>

#include <stdexcept>

#include "die_pattern.h"
#include "wafer_planner.h"

namespace waferscope::hardware::sim {

WaferTruth::WaferTruth(core::WaferId waferId, core::DieGrid grid)
    : m_waferId(waferId)
    , m_grid(std::move(grid))
{
}

WaferTruth WaferTruth::generate(const SimulatorConfig &config, const core::WaferId &waferId)
{
    config.validate();
    const core::DieGrid grid(config.wafer);
    const detail::DiePattern pattern(config.wafer.pitchXMm * 1000.0, config.wafer.pitchYMm * 1000.0);
    return detail::WaferPlanner::plan(config, grid, pattern, waferId).truth;
}

std::span<const DefectTruth> WaferTruth::defectsOn(core::DieIndex die) const noexcept
{
    const auto position = m_grid.scanPosition(die);
    if (!position) {
        return {};
    }
    const std::uint32_t first = m_firstDefect[*position];
    const std::uint32_t last = m_firstDefect[*position + 1];
    return std::span<const DefectTruth>(m_defects).subspan(first, last - first);
}

std::size_t WaferTruth::count(core::DefectClass defectClass) const noexcept
{
    std::size_t n = 0;
    for (const DefectTruth &defect : m_defects) {
        n += defect.defectClass == defectClass ? 1 : 0;
    }
    return n;
}

const WaferTruth::DieRegistration &WaferTruth::registration(core::DieIndex die) const
{
    const auto position = m_grid.scanPosition(die);
    if (!position) {
        throw std::out_of_range("die " + core::toText(die) + " is not on the wafer's die grid");
    }
    return m_registrations[*position];
}

} // namespace waferscope::hardware::sim
