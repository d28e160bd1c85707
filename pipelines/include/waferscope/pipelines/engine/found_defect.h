#pragma once

/// FoundDefect: a defect as a detector measured it in one frame, before the pipeline gives it an id
/// and a run: the frame (die and sequence) it is in, its bounding box in the frame's pixels, its
/// place and size in µm from the die's lower-left corner (x right, y up), its area, class and
/// polarity.
/// Threads: a value. Allocates: nothing.

#include <cstdint>

#include <waferscope/core/defect_class.h>
#include <waferscope/core/defect_polarity.h>
#include <waferscope/core/die_index.h>
#include <waferscope/core/persistence/defect_record.h>

namespace waferscope::pipelines {

struct FoundDefect {
    core::DieIndex die;
    std::uint64_t frameSequence = 0;
    core::DefectRecord::PixelBox box;
    double xRelUm = 0.0;
    double yRelUm = 0.0;
    double xSizeUm = 0.0;
    double ySizeUm = 0.0;
    double areaUm2 = 0.0;
    core::DefectClass defectClass = core::DefectClass::Unknown;
    core::DefectPolarity polarity = core::DefectPolarity::Bright;
};

} // namespace waferscope::pipelines
