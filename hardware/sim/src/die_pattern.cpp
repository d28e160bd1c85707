#include "die_pattern.h"

namespace waferscope::hardware::sim::detail {

namespace {
constexpr double kStreetUm = 100.0;     // each side, so 200 µm between neighbouring die bodies
constexpr double kPadSizeUm = 160.0;
constexpr double kPadStepUm = 320.0;
constexpr double kPadInsetUm = 60.0;    // from the body's edge
constexpr double kCoreInsetUm = 500.0;  // from the body's edge, inside the pad ring
constexpr double kBlockGapUm = 60.0;
constexpr double kLinePitchUm = 144.0;
constexpr double kColumnPitchUm = 192.0;
} // namespace

DiePattern::DiePattern(double pitchXUm, double pitchYUm)
    : m_pitchXUm(pitchXUm)
    , m_pitchYUm(pitchYUm)
    , m_body{kStreetUm, kStreetUm, pitchXUm - kStreetUm, pitchYUm - kStreetUm}
{
    if (m_body.right - m_body.left < 4 * kPadSizeUm || m_body.bottom - m_body.top < 4 * kPadSizeUm) {
        return; // too small for anything but a plain body
    }

    // Pad ring: along the top and bottom edges, then down the left and right edges between them.
    const double padTop = m_body.top + kPadInsetUm;
    const double padBottom = m_body.bottom - kPadInsetUm - kPadSizeUm;
    const double padLeft = m_body.left + kPadInsetUm;
    const double padRight = m_body.right - kPadInsetUm - kPadSizeUm;
    for (double u = padLeft; u <= padRight + 1e-9; u += kPadStepUm) {
        add(m_pads, {u, padTop, u + kPadSizeUm, padTop + kPadSizeUm}, kPadLevel);
        add(m_pads, {u, padBottom, u + kPadSizeUm, padBottom + kPadSizeUm}, kPadLevel);
    }
    for (double v = padTop + kPadStepUm; v <= padBottom - kPadStepUm + 1e-9; v += kPadStepUm) {
        add(m_pads, {padLeft, v, padLeft + kPadSizeUm, v + kPadSizeUm}, kPadLevel);
        add(m_pads, {padRight, v, padRight + kPadSizeUm, v + kPadSizeUm}, kPadLevel);
    }

    const RectUm core{m_body.left + kCoreInsetUm, m_body.top + kCoreInsetUm, m_body.right - kCoreInsetUm,
                      m_body.bottom - kCoreInsetUm};
    if (core.right - core.left < 4 * kLinePitchUm || core.bottom - core.top < 4 * kLinePitchUm) {
        return;
    }
    const double midU = (core.left + core.right) / 2.0;
    const double midV = (core.top + core.bottom) / 2.0;

    // Left block: horizontal lines.
    for (double v = core.top; v + kLineWidthUm <= core.bottom; v += kLinePitchUm) {
        add(m_lines, {core.left, v, midU - kBlockGapUm, v + kLineWidthUm}, kLineLevel);
    }
    // Top right block: via array.
    const double viaLeft = midU + kBlockGapUm;
    for (double v = core.top; v + kViaSizeUm <= midV - kBlockGapUm; v += kViaPitchUm) {
        int columns = 0;
        for (double u = viaLeft; u + kViaSizeUm <= core.right; u += kViaPitchUm) {
            add(m_vias, {u, v, u + kViaSizeUm, v + kViaSizeUm}, kViaLevel);
            ++columns;
        }
        m_viaColumns = columns;
    }
    // Bottom right block: vertical lines.
    std::vector<RectUm> columnLines;
    for (double u = midU + kBlockGapUm; u + kLineWidthUm <= core.right; u += kColumnPitchUm) {
        add(columnLines, {u, midV + kBlockGapUm, u + kLineWidthUm, core.bottom}, kColumnLevel);
    }
}

void DiePattern::add(std::vector<RectUm> &kind, RectUm rect, float level)
{
    kind.push_back(rect);
    m_features.push_back({rect, level});
}

} // namespace waferscope::hardware::sim::detail
