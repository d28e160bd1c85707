#pragma once

/// FaultClass: a kind of machine fault that a recipe decides how to handle — each one an alarm
/// limit (vacuum, heartbeat, illumination, following error, frames lost, disk space) or a device
/// failure (encoder, camera).
/// Names: toText() gives the key a recipe's faultActions object uses ("followingError"), and
/// parseFaultClass() reads it back; an unknown name gives nullopt.
/// Threads: a value. Allocates: nothing.

#include <cstdint>
#include <optional>
#include <string_view>

namespace waferscope::core {

enum class FaultClass : std::uint8_t {
    Vacuum,         ///< hold-down vacuum below its minimum for longer than the delay
    Heartbeat,      ///< no heartbeat from the machine controller within the timeout
    Illumination,   ///< lamp readback outside its band
    FollowingError, ///< stage following error above its limit
    Encoder,        ///< the stage encoder reports an error
    Camera,         ///< the camera is gone
    FramesLost,     ///< lost frames on one wafer reached the threshold
    DiskSpace,      ///< free disk space below its minimum
};

inline constexpr FaultClass kAllFaultClasses[] = {
    FaultClass::Vacuum,  FaultClass::Heartbeat, FaultClass::Illumination, FaultClass::FollowingError,
    FaultClass::Encoder, FaultClass::Camera,    FaultClass::FramesLost,   FaultClass::DiskSpace,
};

[[nodiscard]] std::string_view toText(FaultClass faultClass) noexcept;
[[nodiscard]] std::optional<FaultClass> parseFaultClass(std::string_view name) noexcept;

} // namespace waferscope::core
