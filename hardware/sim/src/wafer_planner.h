#pragma once

/// WaferPlanner: decides everything about one wafer before a pixel is drawn — each die's
/// misregistration and illumination gain, and every defect: its truth, and the shape the renderer
/// draws for it (in frame pixels, the die's shift included, so truth and image agree).
/// Deterministic: all randomness comes from streams derived from the seed and the wafer id.
/// Threads: plan() is a pure function. Allocates: the plan.

#include <cstdint>
#include <vector>

#include <waferscope/core/die_grid.h>
#include <waferscope/core/wafer_id.h>
#include <waferscope/hardware/sim/simulator_config.h>
#include <waferscope/hardware/sim/wafer_truth.h>

#include "die_pattern.h"

namespace waferscope::hardware::sim::detail {

/// What the renderer draws for one DefectTruth, in frame pixels (pixel i covers [i, i+1)).
struct DefectShape {
    enum class Kind : std::uint8_t {
        Disc,    ///< centre (x0, y0), radius
        Segment, ///< from (x0, y0) to (x1, y1), radius = half the width
        Box,     ///< [x0, x1) × [y0, y1), edges covered in proportion
    };
    Kind kind = Kind::Disc;
    double x0 = 0.0;
    double y0 = 0.0;
    double x1 = 0.0;
    double y1 = 0.0;
    double radius = 0.0;
    float level = 0.0F;
};

struct WaferPlan {
    WaferTruth truth;
    std::vector<DefectShape> shapes; ///< one per truth.defects(), in the same order
    std::uint64_t seed;              ///< the wafer's stream, for per-frame noise
};

class WaferPlanner
{
public:
    [[nodiscard]] static WaferPlan plan(const SimulatorConfig &config, const core::DieGrid &grid,
                                        const DiePattern &pattern, const core::WaferId &waferId);
};

} // namespace waferscope::hardware::sim::detail
