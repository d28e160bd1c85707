#pragma once

/// AravisCamera: a GigE Vision camera through Aravis. It opens the camera by its IPv4 address only
/// (no name lookup, no discovery broadcast), writes every feature of its config at open (pixel
/// format, region, exposure, frame rate, trigger, packet size: a camera keeps registers between
/// connections) and reads each back; a value the camera refuses or changes is a HardwareError that
/// names the camera and the feature, before any scan starts.
/// Frames: free-running (or one per trigger() in TriggerMode::Software), the n-th frame after
/// start() is the plan's n-th die. The stream's buffers are the frame pool's own memory: start()
/// detaches up to `streamBuffers` leases and queues them; a frame goes from the socket into the
/// pool buffer and out as the lease, with no copy. Each acquire() tops the stream up again with
/// tryRent() (and, when the pipeline holds every buffer, waits for one to come back); a frame that
/// finds no queued buffer is lost in the camera (a gap, counted as Missed), as on a real link.
/// Bad frames: a buffer whose status is not success (missing packets, timeout, size mismatch, …)
/// or whose image is not the configured one is never handed on: its slot is a gap in the sequence
/// numbers, and droppedFrames() counts it by reason.
/// Frame ids: 16-bit ids that wrap, and extended 64-bit ids, both count on (FrameIdUnwrapper).
/// Faults: Aravis reports a lost control channel on its own heartbeat thread; the camera records
/// it in an atomic and wakes the pending acquire() on its own executor. More bad frames than
/// maxBadFrameRatio in the last badFrameWindow frames counts as a lost link too. Either way state()
/// shows disconnected (the engine's camera alarm), acquire() first hands on every frame already
/// received, then reports Disconnected once and waits for stop(). start() after a lost control
/// channel opens the camera again (and throws HardwareError if it cannot).
/// Ends: at the end of the plan, or on stop(), acquisition stops, the stream is destroyed and every
/// pool buffer it held goes back before acquire() reports EndOfScan or Stopped, so the pool may be
/// destroyed after that.
/// Threads: as Camera: start() and acquire() from the acquiring side; stop(), trigger(), state()
/// and droppedFrames() from any thread. Destroy it only when no acquire() is in flight.
/// Allocates: construction and start() do (the stream, buffer wrappers); acquire() and state()
/// allocate nothing in steady state (a pool buffer's Aravis wrapper is made the first time that
/// buffer is queued, and kept).

#include <array>
#include <cstdint>
#include <memory>
#include <string>

#include <waferscope/hardware/aravis/aravis_camera_config.h>
#include <waferscope/hardware/camera.h>

namespace waferscope::hardware::aravis {

class AravisCamera final : public Camera
{
public:
    /// Why a received frame was not handed on.
    enum class DropReason : std::uint8_t {
        MissingPackets, ///< packets lost and not resent in time
        Timeout,        ///< the frame did not complete in the stream's frame retention time
        SizeMismatch,   ///< more data than the buffer holds
        WrongPacketId,  ///< packets out of the frame's range
        Aborted,        ///< the stream was stopped while the frame was filling
        WrongImage,     ///< a complete frame of another size or pixel format than configured
        Late,           ///< a frame id at or behind one already handed on
        Other,          ///< any other status Aravis reports
        Missed,         ///< an id that never came out of the stream: no pool buffer was queued, or no packet came
    };
    static constexpr std::size_t kDropReasons = 9;

    /// Opens and sets up the camera; throws HardwareError naming the camera and, for a refused
    /// value, the feature.
    explicit AravisCamera(AravisCameraConfig config);
    ~AravisCamera() override;

    [[nodiscard]] ImageFormat format() const override;
    void start(ScanPlan plan, runtime::FramePool &pool, TriggerMode mode) override;
    void stop() override;
    void trigger() override;
    [[nodiscard]] runtime::ValueTask<AcquiredFrame> acquire() override;
    [[nodiscard]] runtime::ValueTask<CameraState> state() override;

    [[nodiscard]] const AravisCameraConfig &config() const noexcept;
    /// Frames received but not handed on, by reason, over the camera's life.
    [[nodiscard]] std::array<std::uint64_t, kDropReasons> droppedFrames() const noexcept;
    /// Frames handed on, over the camera's life.
    [[nodiscard]] std::uint64_t framesDelivered() const noexcept;

private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

[[nodiscard]] const char *toText(AravisCamera::DropReason reason) noexcept;

} // namespace waferscope::hardware::aravis
