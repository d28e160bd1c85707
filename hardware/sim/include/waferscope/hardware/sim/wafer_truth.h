#pragma once

/// WaferTruth: the ground truth of one simulated wafer, for scoring detection — every defect the
/// simulator draws on it, and how each die's frame is registered (its sub-pixel shift and
/// illumination gain).
/// Deterministic: generated from the configuration and the wafer id alone, so the same
/// configuration and wafer id give the same truth, whatever was scanned before; another seed or
/// another wafer id gives another wafer.
/// Order: defects are grouped by die in scan order; defectsOn() is one die's group.
/// Threads: immutable once generated; any thread may read it. Allocates: in generate() only.

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include <waferscope/core/defect_class.h>
#include <waferscope/core/die_grid.h>
#include <waferscope/core/wafer_id.h>
#include <waferscope/hardware/sim/defect_truth.h>
#include <waferscope/hardware/sim/simulator_config.h>

namespace waferscope::hardware::sim {

namespace detail {
class WaferPlanner;
} // namespace detail

class WaferTruth
{
public:
    struct DieRegistration {
        double shiftXPx = 0.0; ///< the die's content lands this far right of nominal
        double shiftYPx = 0.0; ///< … and this far down
        double illuminationGain = 1.0; ///< brightness relative to the wafer's average
    };

    /// The truth of wafer `waferId` on a machine configured by `config` (validated first).
    [[nodiscard]] static WaferTruth generate(const SimulatorConfig &config, const core::WaferId &waferId);

    [[nodiscard]] const core::WaferId &waferId() const noexcept { return m_waferId; }
    [[nodiscard]] const core::DieGrid &dieGrid() const noexcept { return m_grid; }
    [[nodiscard]] std::span<const DefectTruth> defects() const noexcept { return m_defects; }
    /// The defects on `die`; empty for a die without any, or off the grid.
    [[nodiscard]] std::span<const DefectTruth> defectsOn(core::DieIndex die) const noexcept;
    /// How many defects of `defectClass` there are (a scratch counts once per die it crosses).
    [[nodiscard]] std::size_t count(core::DefectClass defectClass) const noexcept;
    /// Throws std::out_of_range for a die off the grid.
    [[nodiscard]] const DieRegistration &registration(core::DieIndex die) const;

private:
    friend class detail::WaferPlanner;
    WaferTruth(core::WaferId waferId, core::DieGrid grid);

    core::WaferId m_waferId;
    core::DieGrid m_grid;
    std::vector<DefectTruth> m_defects;
    std::vector<std::uint32_t> m_firstDefect; // per scan position, then one past the last defect
    std::vector<DieRegistration> m_registrations; // per scan position
};

} // namespace waferscope::hardware::sim
