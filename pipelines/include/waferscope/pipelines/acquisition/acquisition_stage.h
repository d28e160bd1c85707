#pragma once

/// AcquisitionStage: moves one wafer's frames from the camera into the frames channel.
/// The channel runs in Wait mode, so a busy detection slows the camera down instead of losing
/// frames; what the camera still loses (sequence gaps, a disconnect) is counted in the ledger by
/// reason, and every planned die slot of a wafer that ends normally is accounted for: acquired, or
/// lost with a reason (slots lost after the last frame show no gap, so they are counted from the
/// plan at the end of the scan).
/// The end of the wafer (or a stop) travels through the channel as an AcquiredFrame without a
/// frame, so detection sees it in order, after the wafer's last frame.
/// Threads: run() is a Job on the acquisition executor; one wafer at a time.
/// Allocates: nothing per frame.

#include <cstddef>
#include <cstdint>
#include <functional>

#include <waferscope/hardware/acquired_frame.h>
#include <waferscope/hardware/camera.h>
#include <waferscope/pipelines/run/run_ledger.h>
#include <waferscope/runtime/channel.h>
#include <waferscope/runtime/job.h>

namespace waferscope::pipelines {

class AcquisitionStage
{
public:
    struct WaferCounts {
        std::uint64_t acquired = 0;
        std::uint64_t lost = 0;
        std::uint64_t disconnected = 0;
        bool stopped = false;
    };

    AcquisitionStage(hardware::Camera &camera, RunLedger &ledger) noexcept
        : m_camera(camera)
        , m_ledger(ledger)
    {
    }

    /// Acquires the wafer the camera was started on (`plannedDies` slots) into `frames`, then
    /// writes the end marker. `counts` is filled in as it goes, for the engine's wafer summary.
    /// `finished` is called last, once the stage touches nothing more (its final write has
    /// returned): the owner waits for it before it reuses or destroys the channel.
    [[nodiscard]] runtime::Job run(runtime::Channel<hardware::AcquiredFrame> &frames, std::size_t plannedDies,
                                   WaferCounts &counts, std::function<void()> finished = {});

private:
    hardware::Camera &m_camera;
    RunLedger &m_ledger;
};

} // namespace waferscope::pipelines
