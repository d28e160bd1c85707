#include <waferscope/pipelines/detection/detector_config.h>

#include <algorithm>
#include <sstream>
#include <string>
#include <vector>

#include <waferscope/core/validation_error.h>

namespace waferscope::pipelines {

namespace {

template<typename T>
std::string text(T value)
{
    std::ostringstream out;
    out << value;
    return out.str();
}

template<typename T>
void requireRange(std::vector<core::ValidationError::Issue> &issues, const char *field, T value, T low, T high)
{
    if (!(value >= low && value <= high)) {
        issues.push_back({field, "is " + text(value) + ", must be " + text(low) + "…" + text(high)});
    }
}

} // namespace

DetectorConfig DetectorConfig::fromRecipe(const core::Recipe &recipe)
{
    DetectorConfig config;
    config.format = {recipe.frame.widthPx, recipe.frame.heightPx, recipe.frame.pixelSizeUm};
    config.diePitchXUm = recipe.wafer.pitchXMm * 1000.0;
    config.diePitchYUm = recipe.wafer.pitchYMm * 1000.0;
    config.thresholdSigma = recipe.detection.thresholdSigma;
    config.minDefectSizePx = recipe.detection.minDefectSizePx;
    config.cropSizePx = recipe.staging.cropSizePx;
    return config;
}

void DetectorConfig::validate() const
{
    std::vector<core::ValidationError::Issue> issues;
    requireRange(issues, "format.width", format.width, 32, 4096);
    requireRange(issues, "format.height", format.height, 32, 4096);
    if (!(format.pixelSizeUm > 0.0)) {
        issues.push_back({"format.pixelSizeUm", "must be more than 0"});
    }
    if (!(diePitchXUm > 0.0)) {
        issues.push_back({"diePitchXUm", "must be more than 0"});
    }
    if (!(diePitchYUm > 0.0)) {
        issues.push_back({"diePitchYUm", "must be more than 0"});
    }
    requireRange(issues, "thresholdSigma", thresholdSigma, 1.0, 100.0);
    requireRange(issues, "minDefectSizePx", minDefectSizePx, 1, 1024);
    requireRange(issues, "referenceSize", referenceSize, 3, 15);
    requireRange(issues, "maxDefectsPerFrame", maxDefectsPerFrame, 1, 4096);
    requireRange(issues, "cropSizePx", cropSizePx, 8, std::max(8, std::min(format.width, format.height)));
    if (!issues.empty()) {
        throw core::ValidationError("detector configuration", std::move(issues));
    }
}

} // namespace waferscope::pipelines
