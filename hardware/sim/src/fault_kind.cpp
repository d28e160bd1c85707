#include <waferscope/hardware/sim/fault_kind.h>

namespace waferscope::hardware::sim {

std::string_view toText(FaultKind kind) noexcept
{
    switch (kind) {
    case FaultKind::HeartbeatStop:
        return "heartbeat-stop";
    case FaultKind::VacuumDrop:
        return "vacuum-drop";
    case FaultKind::CameraDisconnect:
        return "camera-disconnect";
    case FaultKind::FrameLoss:
        return "frame-loss";
    case FaultKind::FrameJitter:
        return "frame-jitter";
    case FaultKind::EncoderError:
        return "encoder-error";
    case FaultKind::FollowingError:
        return "following-error";
    case FaultKind::IlluminationDegrade:
        return "illumination-degrade";
    }
    return "unknown";
}

std::optional<FaultKind> parseFaultKind(std::string_view name) noexcept
{
    for (const FaultKind kind : kAllFaultKinds) {
        if (toText(kind) == name) {
            return kind;
        }
    }
    return std::nullopt;
}

} // namespace waferscope::hardware::sim
