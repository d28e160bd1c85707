#pragma once

/// SimulatedCamera: the simulated machine's camera. It drives the scan itself: for each die of the
/// plan it moves the stage there, waits for the frame slot (Realtime: the stage has settled and a
/// frame period has passed since the last slot; Unpaced: at once), renders the die into a buffer
/// rented from the pipeline's pool and stamps it from the plan.
/// Sequence numbers count slots, so every lost slot shows as a gap: frame-loss faults, slots during
/// a disconnection, and (Realtime) slots that found the pool empty — a real camera cannot wait for
/// a buffer either, and the pool counts the underrun. Unpaced, a slot waits for a free buffer.
/// Disconnection: the first slot lost to an outage returns Disconnected; Realtime, the stage keeps
/// scanning and the slots that pass during the outage are lost; Unpaced, the next acquire() waits
/// for the camera to come back and goes on.
/// Stop: stop() takes effect at the pending acquire()'s next frame boundary (Realtime: within a
/// frame period; a pending software-trigger wait ends at once).
/// Faults: each frame reads one snapshot of the fault timeline, taken once its slot is fixed; a
/// fault injected later shows from the next frame on.
/// Threads: as Camera. Allocates: nothing per frame once the coroutine frame pool is warm.

#include <atomic>
#include <cstdint>
#include <mutex>
#include <optional>

#include <waferscope/hardware/camera.h>
#include <waferscope/hardware/sim/wafer_renderer.h>

#include "machine_model.h"

namespace waferscope::hardware::sim::detail {

class SimulatedCamera final : public Camera
{
public:
    explicit SimulatedCamera(MachineModel &model);

    [[nodiscard]] ImageFormat format() const override { return m_renderer.format(); }
    void start(ScanPlan plan, runtime::FramePool &pool, TriggerMode mode) override;
    void stop() override;
    void trigger() override;
    [[nodiscard]] runtime::ValueTask<AcquiredFrame> acquire() override;
    [[nodiscard]] runtime::ValueTask<CameraState> state() override;

private:
    class TriggerOperation;

    runtime::ValueTask<AcquiredFrame> acquireNext();
    AcquiredFrame finish(AcquiredFrame::Status status);
    [[nodiscard]] FrameMetadata metadata(std::uint64_t sequence, core::DieIndex die, runtime::TimePoint slot) const;
    /// A number in [0, 1) fixed by the seed, the slot and `stream`: which slots a fault hits.
    [[nodiscard]] double chance(std::uint64_t sequence, std::uint64_t stream) const noexcept;

    MachineModel &m_model;
    WaferRenderer m_renderer;

    // The scan: written by start() and the acquiring coroutine, which never run at once.
    ScanPlan m_plan;
    runtime::FramePool *m_pool = nullptr;
    TriggerMode m_mode = TriggerMode::FreeRun;
    std::size_t m_next = 0;
    runtime::TimePoint m_scanStart{};
    std::optional<runtime::TimePoint> m_lastSlot;
    std::optional<runtime::TimePoint> m_reportedOutage; ///< start of the outage already reported
    bool m_isStarted = false;
    std::optional<AcquiredFrame::Status> m_ended;

    std::atomic<bool> m_isInFlight{false};
    std::atomic<bool> m_isStopRequested{false};
    std::atomic<bool> m_isAcquiring{false};
    std::atomic<std::uint64_t> m_nextSequence{0};
    std::atomic<std::uint64_t> m_framesDelivered{0};

    std::mutex m_triggerMutex; // guards the two below
    std::uint64_t m_pendingTriggers = 0;
    runtime::Continuation *m_triggerWaiter = nullptr;
};

} // namespace waferscope::hardware::sim::detail
