#include <waferscope/core/recipes/fault_class.h>

namespace waferscope::core {

std::string_view toText(FaultClass faultClass) noexcept
{
    switch (faultClass) {
    case FaultClass::Vacuum:
        return "vacuum";
    case FaultClass::Heartbeat:
        return "heartbeat";
    case FaultClass::Illumination:
        return "illumination";
    case FaultClass::FollowingError:
        return "followingError";
    case FaultClass::Encoder:
        return "encoder";
    case FaultClass::Camera:
        return "camera";
    case FaultClass::FramesLost:
        return "framesLost";
    case FaultClass::DiskSpace:
        return "diskSpace";
    }
    return "vacuum";
}

std::optional<FaultClass> parseFaultClass(std::string_view name) noexcept
{
    for (const FaultClass faultClass : kAllFaultClasses) {
        if (toText(faultClass) == name) {
            return faultClass;
        }
    }
    return std::nullopt;
}

} // namespace waferscope::core
