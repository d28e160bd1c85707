#pragma once

/// DetectorAnalyzer: the engine's FrameAnalyzer over the real DefectDetector — it passes frames to
/// the detector and turns each FrameInspection into a report of FoundDefects (sizes and places in
/// µm from the frame's pixel size). The detector learns its reference from the first dies of every
/// wafer (beginWafer() resets it), holding those frames back and reporting them once it has learnt.
/// Threads: the detection executor only. Allocates: at construction (the detector's buffers); per
/// frame nothing of its own.

#include <memory>
#include <vector>

#include <waferscope/core/recipes/recipe.h>
#include <waferscope/pipelines/detection/defect_detector.h>
#include <waferscope/pipelines/engine/frame_analyzer.h>

namespace waferscope::pipelines {

class DetectorAnalyzer final : public FrameAnalyzer
{
public:
    explicit DetectorAnalyzer(const core::Recipe &recipe);

    void beginWafer(const core::WaferId &wafer) override;
    void inspect(std::span<const std::byte> pixels, const hardware::FrameMetadata &metadata, ReportSink &sink) override;
    void finishWafer(ReportSink &sink) override;
    [[nodiscard]] std::size_t deferredFrames() const noexcept override;

private:
    void report(std::span<const FrameInspection> inspections, ReportSink &sink);

    DefectDetector m_detector;
    double m_pixelSizeUm;
    double m_diePitchXUm;
    double m_diePitchYUm;
    std::vector<FoundDefect> m_found;
};

} // namespace waferscope::pipelines
