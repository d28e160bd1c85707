#pragma once

/// FrameAnalyzer: what the detection stage asks of a defect detector, one wafer at a time. The
/// engine runs the real detector through it; tests of the engine's bookkeeping run a scripted one.
/// Deferred frames: a detector may hold a frame's pixels back (while it learns its reference from
/// the first dies) and report that frame's defects later — from a later inspect() or from
/// finishWafer(). Every frame given to inspect() is reported exactly once, as FrameReport, in the
/// order inspected; `pixels` of a report stay readable until the analyzer's next call, so the
/// stage copies the defects' crops out of them right away.
/// Threads: called from the detection executor only. Allocates: as the implementation says.

#include <cstdint>
#include <span>

#include <waferscope/core/wafer_id.h>
#include <waferscope/hardware/frame_metadata.h>
#include <waferscope/pipelines/engine/found_defect.h>

namespace waferscope::pipelines {

class FrameAnalyzer
{
public:
    /// One inspected frame: whose it was, its defects and its pixels (Mono8, rows packed).
    struct FrameReport {
        const hardware::FrameMetadata *metadata = nullptr;
        std::span<const FoundDefect> defects;
        std::span<const std::byte> pixels;
        int width = 0;
        int height = 0;
    };

    /// Receives the reports of a call, in inspection order.
    class ReportSink
    {
    public:
        virtual void frameInspected(const FrameReport &report) = 0;

    protected:
        ReportSink() = default;
        ReportSink(const ReportSink &) = default;
        ReportSink &operator=(const ReportSink &) = default;
        virtual ~ReportSink() = default;
    };

    FrameAnalyzer() = default;
    FrameAnalyzer(const FrameAnalyzer &) = delete;
    FrameAnalyzer &operator=(const FrameAnalyzer &) = delete;
    virtual ~FrameAnalyzer() = default;

    /// A new wafer begins: forget the previous one's deferred frames (there are none after
    /// finishWafer()) and, if the detector learns per wafer, its reference.
    virtual void beginWafer(const core::WaferId &wafer) = 0;
    /// Inspects one frame (its pixels are only valid during the call).
    virtual void inspect(std::span<const std::byte> pixels, const hardware::FrameMetadata &metadata,
                         ReportSink &sink) = 0;
    /// Reports every frame still held back. After it, the wafer has no deferred frames.
    virtual void finishWafer(ReportSink &sink) = 0;
    /// Frames currently held back.
    [[nodiscard]] virtual std::size_t deferredFrames() const noexcept = 0;
};

} // namespace waferscope::pipelines
