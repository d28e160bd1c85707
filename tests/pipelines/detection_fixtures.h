#pragma once

// Helpers shared by the detection tests: the simulated machine's frames fed to a detector, and
// defects painted into a frame the way the simulator draws them.

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include <waferscope/hardware/sim/wafer_renderer.h>
#include <waferscope/pipelines/detection/defect_detector.h>

namespace waferscope::testing {

using Frame = std::vector<std::byte>;

/// The default machine (a 300 mm wafer of 10 × 12 mm dies in 1024² frames of 12 µm, with its noise,
/// illumination drift and ±0.5 pixel misregistration), drawing no defects.
inline hardware::sim::SimulatorConfig cleanMachine()
{
    hardware::sim::SimulatorConfig config;
    config.defects.densityPerCm2 = 0.0;
    return config;
}

inline pipelines::DetectorConfig detectorFor(const hardware::sim::SimulatorConfig &machine)
{
    pipelines::DetectorConfig config;
    config.format = machine.imageFormat();
    config.diePitchXUm = machine.wafer.pitchXMm * 1000.0;
    config.diePitchYUm = machine.wafer.pitchYMm * 1000.0;
    return config;
}

/// A finished inspection, copied out of the detector's storage.
struct Inspected {
    pipelines::FrameInspection inspection;
    std::vector<pipelines::DetectedDefect> defects;
    Frame pixels;
};

inline std::vector<Inspected> copyOf(std::span<const pipelines::FrameInspection> inspections)
{
    std::vector<Inspected> copies;
    for (const pipelines::FrameInspection &i : inspections) {
        copies.push_back({i, {i.defects.begin(), i.defects.end()}, {i.pixels.begin(), i.pixels.end()}});
    }
    return copies;
}

/// A simulated wafer and a detector: frame k is the k-th die in scan order.
class DetectionRig
{
public:
    DetectionRig(const hardware::sim::SimulatorConfig &machine, const pipelines::DetectorConfig &detector,
                 std::string_view wafer = "W01")
        : m_renderer(machine)
        , m_detector(detector)
    {
        m_renderer.loadWafer(core::WaferId(wafer));
    }
    explicit DetectionRig(const hardware::sim::SimulatorConfig &machine)
        : DetectionRig(machine, detectorFor(machine))
    {
    }

    [[nodiscard]] pipelines::DefectDetector &detector() noexcept { return m_detector; }
    [[nodiscard]] const hardware::sim::WaferRenderer &renderer() const noexcept { return m_renderer; }
    [[nodiscard]] int width() const noexcept { return m_renderer.format().width; }
    [[nodiscard]] int height() const noexcept { return m_renderer.format().height; }
    [[nodiscard]] core::DieIndex die(std::size_t k) const { return m_renderer.dieGrid().scanOrder()[k]; }
    [[nodiscard]] const hardware::sim::WaferTruth::DieRegistration &registration(std::size_t k) const
    {
        return m_renderer.truth().registration(die(k));
    }

    [[nodiscard]] Frame render(std::size_t k, double illumination = 1.0)
    {
        Frame frame(m_renderer.format().frameBytes());
        m_renderer.render(die(k), frame, illumination);
        return frame;
    }
    [[nodiscard]] hardware::FrameMetadata metadata(std::size_t k) const
    {
        hardware::FrameMetadata metadata;
        metadata.sequence = k;
        metadata.format = m_renderer.format();
        metadata.waferId = m_renderer.truth().waferId();
        metadata.die = die(k);
        return metadata;
    }
    [[nodiscard]] std::vector<Inspected> inspect(std::size_t k, const Frame &frame)
    {
        return copyOf(m_detector.inspect(metadata(k), frame));
    }
    /// Feeds dies 0 … referenceSize−1 as they are; returns their inspections.
    [[nodiscard]] std::vector<Inspected> learn()
    {
        std::vector<Inspected> done;
        for (std::size_t k = 0; done.empty(); ++k) {
            done = inspect(k, render(k));
        }
        return done;
    }

private:
    hardware::sim::WaferRenderer m_renderer;
    pipelines::DefectDetector m_detector;
};

/// Blends `level` into the pixel at (x, y) by `cover` (0…1), as the simulator draws defects.
inline void blend(Frame &frame, int width, int x, int y, double cover, double level)
{
    if (cover <= 0.0) {
        return;
    }
    auto &pixel = frame[static_cast<std::size_t>(y) * static_cast<std::size_t>(width) + static_cast<std::size_t>(x)];
    const double value = static_cast<double>(std::to_integer<int>(pixel));
    const double mixed = value + std::min(cover, 1.0) * (level - value);
    pixel = static_cast<std::byte>(std::clamp(std::lround(mixed), 0L, 255L));
}

/// A disc centred on (cx, cy) in frame coordinates (pixel i spans [i, i+1)).
inline void paintDisc(Frame &frame, int width, double cx, double cy, double radius, double level)
{
    for (int y = static_cast<int>(cy - radius - 1); y <= static_cast<int>(cy + radius + 1); ++y) {
        for (int x = static_cast<int>(cx - radius - 1); x <= static_cast<int>(cx + radius + 1); ++x) {
            blend(frame, width, x, y, radius + 0.5 - std::hypot(x + 0.5 - cx, y + 0.5 - cy), level);
        }
    }
}

/// A line from (x0, y0) to (x1, y1), `halfWidth` on each side of its centre.
inline void paintSegment(Frame &frame, int width, double x0, double y0, double x1, double y1, double halfWidth,
                         double level)
{
    const double dx = x1 - x0;
    const double dy = y1 - y0;
    const double lengthSquared = dx * dx + dy * dy;
    for (int y = static_cast<int>(std::min(y0, y1) - halfWidth - 1);
         y <= static_cast<int>(std::max(y0, y1) + halfWidth + 1); ++y) {
        for (int x = static_cast<int>(std::min(x0, x1) - halfWidth - 1);
             x <= static_cast<int>(std::max(x0, x1) + halfWidth + 1); ++x) {
            const double px = x + 0.5 - x0;
            const double py = y + 0.5 - y0;
            const double t = std::clamp((px * dx + py * dy) / lengthSquared, 0.0, 1.0);
            blend(frame, width, x, y, halfWidth + 0.5 - std::hypot(px - t * dx, py - t * dy), level);
        }
    }
}

} // namespace waferscope::testing
