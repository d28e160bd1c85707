#pragma once

/// FaultKind: what goes wrong on the simulated machine. toText() gives the name the fault spec
/// text uses ("vacuum-drop") and parseFaultKind() reads it back; an unknown name gives nullopt.
/// Threads: a value. Allocates: nothing.

#include <cstdint>
#include <optional>
#include <string_view>

namespace waferscope::hardware::sim {

enum class FaultKind : std::uint8_t {
    HeartbeatStop,       ///< the controller's heartbeat stops
    VacuumDrop,          ///< the chuck's vacuum falls to a pressure
    CameraDisconnect,    ///< the camera goes away, then comes back
    FrameLoss,           ///< frame slots are lost: gaps in the sequence numbers
    FrameJitter,         ///< frames are delivered late
    EncoderError,        ///< the stage's encoder reports an error
    FollowingError,      ///< the stage's following error rises
    IlluminationDegrade, ///< the lamp's output falls below its set-point
};

inline constexpr FaultKind kAllFaultKinds[] = {
    FaultKind::HeartbeatStop, FaultKind::VacuumDrop,   FaultKind::CameraDisconnect, FaultKind::FrameLoss,
    FaultKind::FrameJitter,   FaultKind::EncoderError, FaultKind::FollowingError,   FaultKind::IlluminationDegrade,
};

[[nodiscard]] std::string_view toText(FaultKind kind) noexcept;
[[nodiscard]] std::optional<FaultKind> parseFaultKind(std::string_view name) noexcept;

} // namespace waferscope::hardware::sim
