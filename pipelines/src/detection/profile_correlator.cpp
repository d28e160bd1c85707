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
    , m_smoothAnchor(static_cast<std::size_t>(std::max(width, height)))
    , m_smoothMoved(static_cast<std::size_t>(std::max(width, height)))
{
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

void ProfileCorrelator::smooth(const std::vector<double> &profile, std::vector<double> &out) const
{
    const auto n = static_cast<int>(profile.size());
    for (int i = 0; i < n; ++i) {
        double sum = 0.0;
        for (int k = -kSmoothingHalfWidth; k <= kSmoothingHalfWidth; ++k) {
            sum += profile[static_cast<std::size_t>(std::clamp(i + k, 0, n - 1))];
        }
        out[static_cast<std::size_t>(i)] = sum;
    }
}

double ProfileCorrelator::peakAround(const std::vector<double> &anchor, const std::vector<double> &moved, int low,
                                     int high, bool &isInterior)
{
    std::vector<double> &scores = m_scores;
    int best = low;
    for (int shift = low; shift <= high; ++shift) {
        scores[static_cast<std::size_t>(shift + m_reach)] = correlation(anchor, moved, shift);
        if (scores[static_cast<std::size_t>(shift + m_reach)] > scores[static_cast<std::size_t>(best + m_reach)]) {
            best = shift;
        }
    }
    isInterior = best > low && best < high;
    double offset = 0.0;
    if (isInterior) {
        const auto index = static_cast<std::size_t>(best + m_reach);
        const double left = scores[index - 1];
        const double centre = scores[index];
        const double right = scores[index + 1];
        const double curvature = left - 2.0 * centre + right;
        if (curvature < 0.0) {
            offset = std::clamp(0.5 * (left - right) / curvature, -0.5, 0.5);
        }
    }
    return static_cast<double>(best) + offset;
}

double ProfileCorrelator::bestShift(const std::vector<double> &anchor, const std::vector<double> &moved)
{
    // A die's fine pattern repeats every few pixels at coarse pixel sizes (pads, lines, vias), and
    // its raw profile correlates almost as well a period off. Most frames lie within a pixel or two
    // of the anchor: a peak inside the nearest few shifts is taken.
    const int near = std::min(m_reach, kNearReach);
    bool isInterior = false;
    const double nearby = peakAround(anchor, moved, -near, near, isInterior);
    if (isInterior || near == m_reach) {
        return nearby;
    }
    // Further off, the whole pixel comes from profiles smoothed over a few pixels, which keep only
    // the die's large structure, that does not repeat within the reach; then the raw profiles
    // within two pixels of it.
    smooth(anchor, m_smoothAnchor);
    smooth(moved, m_smoothMoved);
    int coarse = 0;
    double coarseScore = -2.0;
    for (int shift = -m_reach; shift <= m_reach; ++shift) {
        const double score = correlation(m_smoothAnchor, m_smoothMoved, shift);
        if (score > coarseScore) {
            coarseScore = score;
            coarse = shift;
        }
    }
    const double nearScore = correlation(anchor, moved, static_cast<int>(std::lround(nearby)));
    const double farther = peakAround(anchor, moved, std::max(-m_reach, coarse - kRefineReach),
                                      std::min(m_reach, coarse + kRefineReach), isInterior);
    // A defect large enough to move the profiles can tilt the near scores toward the edge of their
    // range; a shift further off is taken only when it correlates clearly better.
    return correlation(anchor, moved, static_cast<int>(std::lround(farther))) > nearScore + kFartherMargin ? farther
                                                                                                          : nearby;
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
