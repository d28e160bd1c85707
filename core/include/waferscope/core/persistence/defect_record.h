#pragma once

/// DefectRecord: one detected defect as the store keeps it.
/// Identity: `id` names the defect across all runs, 1 … 2^63 − 1 (SQLite's largest integer); the
/// store holds at most one defect per id.
/// Place: the run and wafer it was found on, its die, its bounding box in the frame's pixels, and
/// its position in µm from the die's lower-left corner (x right, y up) with its size and area, as
/// WaferResult measures them.
/// Image: the staged crop's path, or nullopt when none was staged: crops are optional, the record
/// is not.
/// Threads: a value. Allocates: the image path.

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

#include <waferscope/core/defect_class.h>
#include <waferscope/core/defect_polarity.h>
#include <waferscope/core/die_index.h>
#include <waferscope/core/run_id.h>
#include <waferscope/core/wafer_id.h>

namespace waferscope::core {

struct DefectRecord {
    using Time = std::chrono::system_clock::time_point;

    /// Frame pixels, row 0 at the top: columns x … x+width−1, rows y … y+height−1.
    struct PixelBox {
        int x = 0;
        int y = 0;
        int width = 0;
        int height = 0;
        friend bool operator==(const PixelBox &, const PixelBox &) = default;
    };

    std::uint64_t id = 0;
    RunId runId;
    WaferId waferId;
    DieIndex die;
    PixelBox box;
    double xRelUm = 0.0;
    double yRelUm = 0.0;
    double xSizeUm = 0.0;
    double ySizeUm = 0.0;
    double areaUm2 = 0.0;
    DefectClass defectClass = DefectClass::Unknown;
    DefectPolarity polarity = DefectPolarity::Bright;
    std::optional<std::string> imagePath;
    std::uint64_t frameSequence = 0; ///< the frame it was detected in
    Time detectedAt;

    friend bool operator==(const DefectRecord &, const DefectRecord &) = default;
};

} // namespace waferscope::core
