#include <waferscope/pipelines/acquisition/acquisition_stage.h>

#include <optional>

namespace waferscope::pipelines {

runtime::Job AcquisitionStage::run(runtime::Channel<hardware::AcquiredFrame> &frames, std::size_t plannedDies,
                                   WaferCounts &counts, std::function<void()> finished)
{
    using Status = hardware::AcquiredFrame::Status;
    std::optional<std::uint64_t> lastSequence;
    for (;;) {
        hardware::AcquiredFrame frame = co_await m_camera.acquire();
        if (frame.status == Status::Frame || frame.status == Status::Disconnected) {
            const std::uint64_t sequence = frame.metadata.sequence;
            if (lastSequence && sequence > *lastSequence + 1) {
                const std::uint64_t gap = sequence - *lastSequence - 1;
                counts.lost += gap;
                m_ledger.frameDropped(FrameDropReason::LostInCamera, gap);
            }
            lastSequence = sequence;
        }
        switch (frame.status) {
        case Status::Frame:
            ++counts.acquired;
            m_ledger.frameAcquired();
            co_await frames.write(std::move(frame));
            continue;
        case Status::Disconnected:
            ++counts.disconnected;
            m_ledger.frameDropped(FrameDropReason::CameraDisconnected);
            continue;
        case Status::EndOfScan: {
            const std::uint64_t answered = counts.acquired + counts.lost + counts.disconnected;
            if (answered < plannedDies) { // slots lost after the last frame leave no gap behind
                const std::uint64_t trailing = plannedDies - answered;
                counts.lost += trailing;
                m_ledger.frameDropped(FrameDropReason::LostInCamera, trailing);
            }
            break;
        }
        case Status::Stopped:
            counts.stopped = true;
            break;
        }
        co_await frames.write(std::move(frame)); // the end marker, after the last frame
        if (finished) {
            finished();
        }
        co_return;
    }
}

} // namespace waferscope::pipelines
