#pragma once

/// RunLedger: the books of one run — what came in, what went out, and why anything did not. Its
/// balances are the run's guarantees:
///   frames:  processed + dropped(by reason) == slots the camera was asked for that it answered
///            (acquired + lost in camera + disconnected);
///   defects: detected == stored == sent to the UI == written to KLARF files (once the run ends).
/// Every stage bumps its own counters; the engine reads them into a RunLedger::Totals at the end (and
/// the stats panel reads them live).
/// Threads: any thread bumps or reads; counters are relaxed atomics, so totals read during a run are
/// each a value that was really there, not a consistent cut.
/// Allocates: nothing.

#include <array>
#include <cstdint>

#include <waferscope/pipelines/run/crop_drop_reason.h>
#include <waferscope/pipelines/run/frame_drop_reason.h>
#include <waferscope/runtime/counter.h>

namespace waferscope::pipelines {

class RunLedger
{
public:
    struct Totals {
        std::uint64_t framesAcquired = 0;
        std::uint64_t framesProcessed = 0;
        std::array<std::uint64_t, std::size(kAllFrameDropReasons)> framesDropped{};
        std::uint64_t defectsDetected = 0;
        std::uint64_t defectsStored = 0;
        std::uint64_t defectsSentToUi = 0;
        std::uint64_t defectsInKlarf = 0;
        std::uint64_t defectsUnstored = 0; ///< not in the database: kept in the writer's unstored file
        std::uint64_t cropsStaged = 0;
        std::array<std::uint64_t, std::size(kAllCropDropReasons)> cropsDropped{};

        [[nodiscard]] std::uint64_t dropped(FrameDropReason reason) const noexcept
        {
            return framesDropped[static_cast<std::size_t>(reason)];
        }
        [[nodiscard]] std::uint64_t dropped(CropDropReason reason) const noexcept
        {
            return cropsDropped[static_cast<std::size_t>(reason)];
        }
        [[nodiscard]] std::uint64_t framesDroppedTotal() const noexcept;
        [[nodiscard]] std::uint64_t cropsDroppedTotal() const noexcept;
        /// Frame slots answered by the camera: acquired, lost in the camera, or lost to a disconnect.
        [[nodiscard]] std::uint64_t frameSlots() const noexcept;
        /// processed + dropped == slots, and every defect detected was stored, sent and exported.
        [[nodiscard]] bool balances() const noexcept;
    };

    void frameAcquired() noexcept { m_framesAcquired.add(); }
    void frameProcessed() noexcept { m_framesProcessed.add(); }
    void frameDropped(FrameDropReason reason, std::uint64_t count = 1) noexcept
    {
        m_framesDropped[static_cast<std::size_t>(reason)].add(count);
    }
    void defectsDetected(std::uint64_t count) noexcept { m_defectsDetected.add(count); }
    void defectsStored(std::uint64_t count) noexcept { m_defectsStored.add(count); }
    void defectsSentToUi(std::uint64_t count) noexcept { m_defectsSentToUi.add(count); }
    void defectsInKlarf(std::uint64_t count) noexcept { m_defectsInKlarf.add(count); }
    /// A crop was handed to the image stager, which will stage or drop it.
    void cropQueued() noexcept { m_cropsQueued.add(); }
    void defectsUnstored(std::uint64_t count) noexcept { m_defectsUnstored.add(count); }
    void cropStaged() noexcept { m_cropsStaged.add(); }
    void cropDropped(CropDropReason reason) noexcept { m_cropsDropped[static_cast<std::size_t>(reason)].add(); }

    [[nodiscard]] std::uint64_t framesLost() const noexcept
    {
        return m_framesDropped[static_cast<std::size_t>(FrameDropReason::LostInCamera)].value() +
               m_framesDropped[static_cast<std::size_t>(FrameDropReason::CameraDisconnected)].value();
    }
    [[nodiscard]] std::uint64_t cropsDropped() const noexcept;
    /// Whether the stager has staged or dropped every crop queued so far. A crop is counted as
    /// queued just after its channel write, so the stager may count it first; hence ≥.
    [[nodiscard]] bool areQueuedCropsSettled() const noexcept
    {
        return m_cropsStaged.value() + m_cropsDropped[static_cast<std::size_t>(CropDropReason::WriteFailed)].value() +
                   m_cropsDropped[static_cast<std::size_t>(CropDropReason::RunEnded)].value() >=
               m_cropsQueued.value();
    }
    [[nodiscard]] Totals totals() const noexcept;

private:
    runtime::Counter m_framesAcquired;
    runtime::Counter m_framesProcessed;
    std::array<runtime::Counter, std::size(kAllFrameDropReasons)> m_framesDropped;
    runtime::Counter m_defectsDetected;
    runtime::Counter m_defectsStored;
    runtime::Counter m_defectsSentToUi;
    runtime::Counter m_defectsInKlarf;
    runtime::Counter m_cropsQueued;
    runtime::Counter m_defectsUnstored;
    runtime::Counter m_cropsStaged;
    std::array<runtime::Counter, std::size(kAllCropDropReasons)> m_cropsDropped;
};

} // namespace waferscope::pipelines
