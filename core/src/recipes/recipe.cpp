#include <waferscope/core/recipes/recipe.h>

#include <array>
#include <charconv>

#include <waferscope/core/validation_error.h>

#include "recipe_rules.h"

namespace waferscope::core {

namespace {

/// The member of FaultActions that holds the action for each class; one table for on() and set().
FaultAction Recipe::FaultActions::*memberFor(FaultClass faultClass) noexcept
{
    switch (faultClass) {
    case FaultClass::Vacuum:
        return &Recipe::FaultActions::vacuum;
    case FaultClass::Heartbeat:
        return &Recipe::FaultActions::heartbeat;
    case FaultClass::Illumination:
        return &Recipe::FaultActions::illumination;
    case FaultClass::FollowingError:
        return &Recipe::FaultActions::followingError;
    case FaultClass::Encoder:
        return &Recipe::FaultActions::encoder;
    case FaultClass::Camera:
        return &Recipe::FaultActions::camera;
    case FaultClass::FramesLost:
        return &Recipe::FaultActions::framesLost;
    case FaultClass::DiskSpace:
        return &Recipe::FaultActions::diskSpace;
    }
    return &Recipe::FaultActions::vacuum;
}

/// "12.0": to_chars, unlike printf, ignores the process locale, so the decimal point never becomes a comma.
std::string oneDecimal(double value)
{
    std::array<char, 32> buffer{};
    const auto result = std::to_chars(buffer.data(), buffer.data() + buffer.size(), value, std::chars_format::fixed, 1);
    return std::string(buffer.data(), result.ptr);
}

} // namespace

FaultAction Recipe::FaultActions::on(FaultClass faultClass) const noexcept
{
    return this->*memberFor(faultClass);
}

void Recipe::FaultActions::set(FaultClass faultClass, FaultAction action) noexcept
{
    this->*memberFor(faultClass) = action;
}

std::optional<int> Recipe::classNumberOf(DefectClass defectClass) const noexcept
{
    for (const ClassEntry &entry : defectClasses) {
        for (const DefectClass covered : entry.classes) {
            if (covered == defectClass) {
                return entry.number;
            }
        }
    }
    return std::nullopt;
}

void Recipe::validate() const
{
    std::vector<ValidationError::Issue> issues =
        detail::recipeIssues(*this, [](std::string_view) { return true; });
    if (!issues.empty()) {
        throw ValidationError("recipe " + (name.empty() ? std::string("(unnamed)") : "'" + name + "'"),
                              std::move(issues));
    }
}

std::string Recipe::summary() const
{
    using detail::formatNumber;
    std::string text = formatNumber(wafer.diameterMm) + " mm · " + formatNumber(wafer.pitchXMm) + " × " +
                       formatNumber(wafer.pitchYMm) + " mm dies · ";
    if (frame.widthPx == frame.heightPx) {
        text += std::to_string(frame.widthPx) + "² px";
    } else {
        text += std::to_string(frame.widthPx) + " × " + std::to_string(frame.heightPx) + " px";
    }
    text += " @ " + oneDecimal(frame.pixelSizeUm) + " µm · " + formatNumber(simulator.defectDensityPerCm2) +
            " defects/cm²";
    if (sampling.mode == Sampling::Mode::Listed) {
        text += " · " + std::to_string(sampling.dies.size()) + (sampling.dies.size() == 1 ? " die" : " dies") +
                " sampled";
    }
    return text;
}

} // namespace waferscope::core
