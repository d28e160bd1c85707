#include "profile_correlator.h"

#include <algorithm>
#include <numbers>

namespace waferscope::pipelines::detail {

namespace {

constexpr double kTaperPx = 64.0;

std::vector<double> window(int length, int margin)
{
    const double taper = std::min(kTaperPx, length / 8.0);
    std::vector<double> weights(static_cast<std::size_t>(length), 0.0);
    for (int i = 0; i < length; ++i) {
        const double inside = std::min(i - margin, length - 1 - margin - i);
        if (inside > 0.0) {
            weights[static_cast<std::size_t>(i)] =
                inside >= taper ? 1.0 : 0.5 - 0.5 * std::cos(std::numbers::pi * inside / taper);
        }
    }
    return weights;
}

} // namespace

ProfileCorrelator::ProfileCorrelator(int width, int height, int reach)
    : m_width(width)
    , m_height(height)
    , m_reach(reach)
    , m_rowWeights(window(height, reach + 2))
    , m_columnWeights(window(width, reach + 2))
    , m_anchorColumns(static_cast<std::size_t>(width))
    , m_anchorRows(static_cast<std::size_t>(height))
    , m_columns(static_cast<std::size_t>(width))
    , m_rows(static_cast<std::size_t>(height))
    , m_row(static_cast<std::size_t>(width))
    , m_scores(static_cast<std::size_t>(2 * reach + 1))
{
}

double ProfileCorrelator::bestShift(const std::vector<double> &anchor, const std::vector<double> &moved)
{
    // Over one range of the anchor for every shift, so that the scores compare.
    const auto first = static_cast<std::size_t>(m_reach);
    const std::size_t last = anchor.size() - static_cast<std::size_t>(m_reach);
    const double count = static_cast<double>(last - first);
    double anchorMean = 0.0;
    for (std::size_t x = first; x < last; ++x) {
        anchorMean += anchor[x];
    }
    anchorMean /= count;
    double anchorEnergy = 0.0;
    for (std::size_t x = first; x < last; ++x) {
        anchorEnergy += (anchor[x] - anchorMean) * (anchor[x] - anchorMean);
    }
    std::vector<double> &scores = m_scores;
    std::size_t best = 0;
    for (int shift = -m_reach; shift <= m_reach; ++shift) {
        double mean = 0.0;
        for (std::size_t x = first; x < last; ++x) {
            mean += moved[static_cast<std::size_t>(static_cast<int>(x) + shift)];
        }
        mean /= count;
        double cross = 0.0;
        double energy = 0.0;
        for (std::size_t x = first; x < last; ++x) {
            const double m = moved[static_cast<std::size_t>(static_cast<int>(x) + shift)] - mean;
            cross += (anchor[x] - anchorMean) * m;
            energy += m * m;
        }
        const auto index = static_cast<std::size_t>(shift + m_reach);
        scores[index] = anchorEnergy > 0.0 && energy > 0.0 ? cross / std::sqrt(anchorEnergy * energy) : 0.0;
        if (scores[index] > scores[best]) {
            best = index;
        }
    }
    double offset = 0.0;
    if (best > 0 && best + 1 < scores.size()) {
        const double left = scores[best - 1];
        const double centre = scores[best];
        const double right = scores[best + 1];
        const double curvature = left - 2.0 * centre + right;
        if (curvature < 0.0) {
            offset = std::clamp(0.5 * (left - right) / curvature, -0.5, 0.5);
        }
    }
    return static_cast<double>(best) - m_reach + offset;
}

cv::Point2d ProfileCorrelator::shiftOf(const std::uint8_t *frame)
{
    std::fill(m_columns.begin(), m_columns.end(), 0.0);
    for (int y = 0; y < m_height; ++y) {
        accumulate(y, frame + static_cast<std::ptrdiff_t>(y) * m_width, m_columns, m_rows);
    }
    return {bestShift(m_anchorColumns, m_columns), bestShift(m_anchorRows, m_rows)};
}

} // namespace waferscope::pipelines::detail
