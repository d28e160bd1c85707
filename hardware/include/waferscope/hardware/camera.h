#pragma once

/// Camera: acquires the frames of a scan plan into buffers rented from the pipeline's FramePool; it
/// never allocates a frame of its own.
/// States: idle → acquiring (start()) → idle (acquire() delivered the end of the scan, or stop()).
/// After the end, acquire() keeps answering EndOfScan (or Stopped) until the next start().
/// Faults: a disconnection is a state, not an error: state() shows it, acquire() reports it once
/// (Status::Disconnected) and frame slots lost to it show as gaps in the sequence numbers.
/// Errors: HardwareError for acquire() before start(), a second acquire() while one is in flight,
/// start() during a scan, a plan die off the machine's grid, or pool frames smaller than
/// format().frameBytes().
/// Threads: start() and acquire() from the acquiring side, one acquire() in flight at a time;
/// stop(), trigger() and state() from any thread.
/// Allocates: start() may; acquire() and state() allocate nothing in steady state.

#include <waferscope/hardware/acquired_frame.h>
#include <waferscope/hardware/camera_state.h>
#include <waferscope/hardware/image_format.h>
#include <waferscope/hardware/scan_plan.h>
#include <waferscope/hardware/trigger_mode.h>
#include <waferscope/runtime/frame_pool.h>
#include <waferscope/runtime/value_task.h>

namespace waferscope::hardware {

class Camera
{
public:
    Camera() = default;
    Camera(const Camera &) = delete;
    Camera &operator=(const Camera &) = delete;
    virtual ~Camera() = default;

    [[nodiscard]] virtual ImageFormat format() const = 0;

    /// Begins acquiring `plan` into buffers of `pool`, which must outlive the scan.
    virtual void start(ScanPlan plan, runtime::FramePool &pool, TriggerMode mode = TriggerMode::FreeRun) = 0;
    /// Ends acquisition: the next acquire() (or the pending one, at its next frame boundary) reports
    /// Stopped. Idempotent.
    virtual void stop() = 0;
    /// In TriggerMode::Software, releases one exposure; triggers given ahead are kept and counted.
    virtual void trigger() = 0;

    /// The next frame of the scan, or why there is none.
    [[nodiscard]] virtual runtime::ValueTask<AcquiredFrame> acquire() = 0;
    /// The camera's state; completes at once from the cached device state.
    [[nodiscard]] virtual runtime::ValueTask<CameraState> state() = 0;
};

} // namespace waferscope::hardware
