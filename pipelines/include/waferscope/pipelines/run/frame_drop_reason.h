#pragma once

/// FrameDropReason: why a frame the pipeline knew of was not inspected. Every frame slot of a scan
/// is either processed or counted under exactly one of these.
/// Threads: a value. Allocates: nothing.

#include <cstdint>
#include <string_view>

namespace waferscope::pipelines {

enum class FrameDropReason : std::uint8_t {
    LostInCamera,     ///< a gap in the camera's sequence numbers: the frame never arrived
    CameraDisconnected, ///< the camera reported the slot lost while it was disconnected
    RunAborted,       ///< acquired, but the run was aborted before detection reached it
    DetectionFailed,  ///< detection threw on it (the error is logged with the run id)
};

inline constexpr FrameDropReason kAllFrameDropReasons[] = {FrameDropReason::LostInCamera,
                                                           FrameDropReason::CameraDisconnected,
                                                           FrameDropReason::RunAborted,
                                                           FrameDropReason::DetectionFailed};

/// Stable snake_case names, as the summary JSON and the stats panel show them.
[[nodiscard]] constexpr std::string_view toText(FrameDropReason reason) noexcept
{
    switch (reason) {
    case FrameDropReason::LostInCamera:
        return "lost_in_camera";
    case FrameDropReason::CameraDisconnected:
        return "camera_disconnected";
    case FrameDropReason::RunAborted:
        return "run_aborted";
    case FrameDropReason::DetectionFailed:
        return "detection_failed";
    }
    return "unknown";
}

} // namespace waferscope::pipelines
