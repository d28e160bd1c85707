#include <waferscope/pipelines/engine/detector_analyzer.h>

#include <algorithm>

#include <waferscope/pipelines/detection/detector_config.h>

namespace waferscope::pipelines {

DetectorAnalyzer::DetectorAnalyzer(const core::Recipe &recipe)
    : m_detector(DetectorConfig::fromRecipe(recipe))
    , m_pixelSizeUm(recipe.frame.pixelSizeUm)
    , m_diePitchXUm(recipe.wafer.pitchXMm * 1000.0)
    , m_diePitchYUm(recipe.wafer.pitchYMm * 1000.0)
{
    m_found.reserve(static_cast<std::size_t>(m_detector.config().maxDefectsPerFrame));
}

void DetectorAnalyzer::beginWafer(const core::WaferId & /*wafer*/)
{
    // Each wafer has its own illumination and misregistration: learn its reference afresh.
    m_detector.reset();
}

void DetectorAnalyzer::inspect(std::span<const std::byte> pixels, const hardware::FrameMetadata &metadata,
                               ReportSink &sink)
{
    report(m_detector.inspect(metadata, pixels), sink);
}

void DetectorAnalyzer::finishWafer(ReportSink &sink)
{
    report(m_detector.flush(), sink);
}

std::size_t DetectorAnalyzer::deferredFrames() const noexcept
{
    return m_detector.heldFrames();
}

void DetectorAnalyzer::report(std::span<const FrameInspection> inspections, ReportSink &sink)
{
    for (const FrameInspection &inspection : inspections) {
        m_found.clear();
        for (const DetectedDefect &defect : inspection.defects) {
            FoundDefect found;
            found.die = inspection.metadata.die;
            found.frameSequence = inspection.metadata.sequence;
            found.box = {defect.box.x, defect.box.y, defect.box.width, defect.box.height};
            // A defect straddling the die's edge can have its centre just outside the die; its place
            // is reported on the die's edge, where KLARF and the wafer map expect it.
            found.xRelUm = std::clamp(defect.xUm, 0.0, m_diePitchXUm);
            found.yRelUm = std::clamp(defect.yUm, 0.0, m_diePitchYUm);
            found.xSizeUm = defect.box.width * m_pixelSizeUm;
            found.ySizeUm = defect.box.height * m_pixelSizeUm;
            found.areaUm2 = defect.areaUm2;
            found.defectClass = defect.defectClass;
            found.polarity = defect.polarity == DetectedDefect::Polarity::Bright ? core::DefectPolarity::Bright
                                                                                 : core::DefectPolarity::Dark;
            m_found.push_back(found);
        }
        FrameReport frame;
        frame.metadata = &inspection.metadata;
        frame.defects = m_found;
        frame.pixels = inspection.pixels;
        frame.width = inspection.metadata.format.width;
        frame.height = inspection.metadata.format.height;
        sink.frameInspected(frame);
    }
}

} // namespace waferscope::pipelines
