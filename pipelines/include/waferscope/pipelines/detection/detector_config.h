#pragma once

/// DetectorConfig: what a DefectDetector is built for — the frames (size and pixel size), the die
/// pitch, the recipe's detection sensitivity and minimum defect size, how many dies the reference
/// is learnt from, how many defects one frame may report, and the size of the crops cut for image
/// staging. A frame is centred on its die's centre, so the pitch places a frame pixel on the die.
/// fromRecipe() takes every field a recipe has; validate() throws core::ValidationError (subject
/// "detector configuration") naming every wrong field and what is wrong with it.
/// Threads: a value. Allocates: nothing, unless validate() throws.

#include <waferscope/core/recipes/recipe.h>
#include <waferscope/hardware/image_format.h>

namespace waferscope::pipelines {

struct DetectorConfig {
    hardware::ImageFormat format;  ///< Mono8 frames, 32…4096 pixels a side
    double diePitchXUm = 10000.0; ///< more than 0
    double diePitchYUm = 12000.0; ///< more than 0
    double thresholdSigma = 5.0;  ///< a pixel is defective this many noise sigmas off, 1…100
    int minDefectSizePx = 3;      ///< smaller blobs are ignored (size: the box's larger side, plus one), 1…1024
    int referenceSize = 5;        ///< dies the reference is learnt from, 3…15
    int maxDefectsPerFrame = 64;  ///< more are counted, not reported, 1…4096
    int cropSizePx = 128;         ///< square crops, 8…the frame's smaller side

    /// The frame, die pitch, detection sensitivity and staging crop size of `recipe`; the other
    /// fields keep their defaults.
    [[nodiscard]] static DetectorConfig fromRecipe(const core::Recipe &recipe);
    /// Throws core::ValidationError listing every field out of range.
    void validate() const;

    friend bool operator==(const DetectorConfig &, const DetectorConfig &) = default;
};

} // namespace waferscope::pipelines
