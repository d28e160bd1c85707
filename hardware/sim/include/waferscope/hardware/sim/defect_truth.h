#pragma once

/// DefectTruth: one defect as the simulator drew it on one die — its class, the die, where it lies
/// in that die's frame (pixels) and where on the die (µm from the die's lower-left corner, y up:
/// the KLARF convention). Both boxes enclose everything the defect changed.
/// A scratch that crosses several dies gives one DefectTruth per die, all with the same sourceId.
/// Threads: a value. Allocates: nothing.

#include <cstdint>

#include <waferscope/core/defect_class.h>
#include <waferscope/core/die_index.h>

namespace waferscope::hardware::sim {

struct DefectTruth {
    /// Frame pixels, row 0 at the top: columns x … x+width−1, rows y … y+height−1.
    struct PixelBox {
        int x = 0;
        int y = 0;
        int width = 0;
        int height = 0;
    };
    /// Die-relative µm from the die's lower-left corner, y up.
    struct MicronBox {
        double xMin = 0.0;
        double yMin = 0.0;
        double xMax = 0.0;
        double yMax = 0.0;
    };

    std::uint32_t id = 0;       ///< unique within the wafer
    std::uint32_t sourceId = 0; ///< the physical defect; shared by the pieces of a scratch
    core::DefectClass defectClass = core::DefectClass::Unknown;
    core::DieIndex die;
    PixelBox pixels;
    MicronBox microns;
    /// The defect's own longer extent on the wafer: a particle's diameter, a scratch's length on
    /// this die, a missing, extra or bridging feature's longer side.
    double sizeUm = 0.0;
};

} // namespace waferscope::hardware::sim
