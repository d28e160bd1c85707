#include "profile_correlator.h"

#include <algorithm>
#include <cmath>
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
    m_ranked.reserve(m_scores.size());
    m_candidatesX.reserve(kCandidates);
    m_candidatesY.reserve(kCandidates);
}

double ProfileCorrelator::correlation(const std::vector<double> &anchor, const std::vector<double> &moved,
                                      int shift) const
{
    // Over one range of the anchor for every shift, so that the scores compare.
    const auto first = static_cast<std::size_t>(m_reach);
    const std::size_t last = anchor.size() - static_cast<std::size_t>(m_reach);
    const double count = static_cast<double>(last - first);
    double anchorMean = 0.0;
    double mean = 0.0;
    for (std::size_t x = first; x < last; ++x) {
        anchorMean += anchor[x];
        mean += moved[static_cast<std::size_t>(static_cast<int>(x) + shift)];
    }
    anchorMean /= count;
    mean /= count;
    double anchorEnergy = 0.0;
    double cross = 0.0;
    double energy = 0.0;
    for (std::size_t x = first; x < last; ++x) {
        const double a = anchor[x] - anchorMean;
        const double m = moved[static_cast<std::size_t>(static_cast<int>(x) + shift)] - mean;
        anchorEnergy += a * a;
        cross += a * m;
        energy += m * m;
    }
    return anchorEnergy > 0.0 && energy > 0.0 ? cross / std::sqrt(anchorEnergy * energy) : 0.0;
}

void ProfileCorrelator::findCandidates(const std::vector<double> &anchor, const std::vector<double> &moved,
                                       std::vector<double> &out)
{
    std::vector<double> &scores = m_scores;
    for (int shift = -m_reach; shift <= m_reach; ++shift) {
        scores[static_cast<std::size_t>(shift + m_reach)] = correlation(anchor, moved, shift);
    }
    // The local maxima, best first, each refined by a parabola through it and its neighbours.
    out.clear();
    m_ranked.clear();
    const auto last = static_cast<std::size_t>(2 * m_reach);
    for (std::size_t i = 0; i <= last; ++i) {
        const bool aboveLeft = i == 0 || scores[i] >= scores[i - 1];
        const bool aboveRight = i == last || scores[i] > scores[i + 1];
        if (aboveLeft && aboveRight) {
            m_ranked.push_back(i);
        }
    }
    // The local maximum nearest no shift first (most frames lie within a pixel or two of the
    // anchor, whatever a defect does to the scores), then the best of the others.
    const auto nearest = std::min_element(m_ranked.begin(), m_ranked.end(), [&](std::size_t a, std::size_t b) {
        return std::abs(static_cast<int>(a) - m_reach) < std::abs(static_cast<int>(b) - m_reach);
    });
    if (nearest != m_ranked.end()) {
        std::iter_swap(m_ranked.begin(), nearest);
        std::sort(m_ranked.begin() + 1, m_ranked.end(),
                  [&](std::size_t a, std::size_t b) { return scores[a] > scores[b]; });
    }
    for (std::size_t k = 0; k < m_ranked.size() && k < kCandidates; ++k) {
        const std::size_t i = m_ranked[k];
        double offset = 0.0;
        if (i > 0 && i < last) {
            const double curvature = scores[i - 1] - 2.0 * scores[i] + scores[i + 1];
            if (curvature < 0.0) {
                offset = std::clamp(0.5 * (scores[i - 1] - scores[i + 1]) / curvature, -0.5, 0.5);
            }
        }
        out.push_back(static_cast<double>(i) - m_reach + offset);
    }
}

void ProfileCorrelator::measure(const std::uint8_t *frame)
{
    std::fill(m_columns.begin(), m_columns.end(), 0.0);
    for (int y = 0; y < m_height; ++y) {
        accumulate(y, frame + static_cast<std::ptrdiff_t>(y) * m_width, m_columns, m_rows);
    }
    findCandidates(m_anchorColumns, m_columns, m_candidatesX);
    findCandidates(m_anchorRows, m_rows, m_candidatesY);
}


} // namespace waferscope::pipelines::detail
