#include <waferscope/core/wafer_geometry.h>

#include <cmath>
#include <string>
#include <vector>

#include <waferscope/core/validation_error.h>

namespace waferscope::core {

namespace {

std::string number(double value)
{
    std::string text = std::to_string(value);
    // std::to_string prints six decimals; a person wrote "250", not "250.000000".
    while (!text.empty() && text.back() == '0') {
        text.pop_back();
    }
    if (!text.empty() && text.back() == '.') {
        text.pop_back();
    }
    return text;
}

} // namespace

void WaferGeometry::validate() const
{
    std::vector<ValidationError::Issue> issues;
    if (diameterMm != 200.0 && diameterMm != 300.0) {
        issues.push_back({"diameter_mm", number(diameterMm) + " is not a supported diameter (200 or 300)"});
    }
    const auto checkPitch = [&](const char *field, double pitch) {
        if (!std::isfinite(pitch) || pitch <= 0.0) {
            issues.push_back({field, number(pitch) + " must be a positive number of millimetres"});
        } else if (pitch > diameterMm) {
            issues.push_back({field, number(pitch) + " mm is wider than the wafer"});
        }
    };
    checkPitch("pitch_x_mm", pitchXMm);
    checkPitch("pitch_y_mm", pitchYMm);
    if (!std::isfinite(edgeExclusionMm) || edgeExclusionMm < 0.0) {
        issues.push_back({"edge_exclusion_mm", number(edgeExclusionMm) + " must be zero or more millimetres"});
    } else if (edgeExclusionMm >= diameterMm / 2.0) {
        issues.push_back({"edge_exclusion_mm", number(edgeExclusionMm) + " mm leaves no usable area on a " +
                                                   number(diameterMm) + " mm wafer"});
    }
    if (!issues.empty()) {
        throw ValidationError("wafer geometry", std::move(issues));
    }
}

} // namespace waferscope::core
