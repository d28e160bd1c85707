#pragma once

/// DetectedDefect: one defect found in a frame — where it lies in the frame (bounding box, centroid of
/// its pixels) and on its die (µm from the die's lower-left corner, y up: the KLARF
/// convention), how large it is (pixels and µm²), its shape (length and width along its principal
/// axes), how strongly it stands out (peak difference in noise sigmas), whether it is brighter or
/// darker than the reference, and its class.
/// Threads: a value. Allocates: nothing.

#include <cstdint>

#include <waferscope/core/defect_class.h>

namespace waferscope::pipelines {

struct DetectedDefect {
    enum class Polarity : std::uint8_t { Bright, Dark };

    /// Frame pixels, row 0 at the top: columns x … x+width−1, rows y … y+height−1.
    struct PixelBox {
        int x = 0;
        int y = 0;
        int width = 0;
        int height = 0;

        friend bool operator==(const PixelBox &, const PixelBox &) = default;
    };

    PixelBox box;
    int areaPx = 0;            ///< pixels that differ from the reference
    double areaUm2 = 0.0;      ///< the same area on the wafer
    double centroidXPx = 0.0;  ///< frame coordinates, pixel i spanning [i, i+1)
    double centroidYPx = 0.0;
    double xUm = 0.0;          ///< die-relative, from the die's left edge
    double yUm = 0.0;          ///< die-relative, up from the die's lower edge
    double lengthPx = 0.0;     ///< along the major axis
    double widthPx = 0.0;      ///< along the minor axis
    double contrastSigma = 0.0;
    Polarity polarity = Polarity::Bright;
    core::DefectClass defectClass = core::DefectClass::Unknown;
};

} // namespace waferscope::pipelines
