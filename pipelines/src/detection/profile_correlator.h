#pragma once

/// ProfileCorrelator: how far a frame's content lies from an anchor image's, from the normalised
/// cross-correlation of their column profiles and of their row profiles over shifts of up to
/// `reach` pixels — a peak within three pixels when there is one; else the whole pixel from profiles
/// smoothed over a few pixels, so that a fine pattern repeating every few pixels cannot pull the peak
/// a period off, then the raw profiles within two pixels of it — each peak refined by a parabola — good to a tenth of a pixel or so, which the
/// reference model's Gauss–Newton takes from there. A profile is taken under a smooth window over
/// the other axis, `reach` pixels in from the frame's edges, so the other axis's offset barely
/// moves it; a defect moves a profile by its own area over the frame's side, which is little.
/// States: without anchor → anchored (setAnchor()).
/// Threads: one thread at a time. Allocates: its profiles at construction; nothing afterwards.

#include <cmath>
#include <cstdint>
#include <vector>

#include <opencv2/core/types.hpp>

namespace waferscope::pipelines::detail {

class ProfileCorrelator
{
public:
    ProfileCorrelator(int width, int height, int reach);

    /// Anchors on the image whose row y `rowOf(y, out)` writes into `out` (width floats).
    template<typename RowSource>
    void setAnchor(RowSource &&rowOf)
    {
        std::fill(m_anchorColumns.begin(), m_anchorColumns.end(), 0.0);
        std::fill(m_anchorRows.begin(), m_anchorRows.end(), 0.0);
        for (int y = 0; y < m_height; ++y) {
            rowOf(y, m_row.data());
            accumulate(y, m_row.data(), m_anchorColumns, m_anchorRows);
        }
    }

    /// Where `frame`'s (width × height Mono8) content lies relative to the anchor's: positive x is
    /// to the right, positive y down.
    [[nodiscard]] cv::Point2d shiftOf(const std::uint8_t *frame);

private:
    template<typename Pixel>
    void accumulate(int y, const Pixel *row, std::vector<double> &columns, std::vector<double> &rows) const
    {
        const double rowWeight = m_rowWeights[static_cast<std::size_t>(y)];
        double sum = 0.0;
        for (int x = 0; x < m_width; ++x) {
            const auto value = static_cast<double>(row[x]);
            columns[static_cast<std::size_t>(x)] += rowWeight * value;
            sum += m_columnWeights[static_cast<std::size_t>(x)] * value;
        }
        rows[static_cast<std::size_t>(y)] = sum;
    }
    /// The shift of `moved` against `anchor` with the best normalised cross-correlation.
    [[nodiscard]] double bestShift(const std::vector<double> &anchor, const std::vector<double> &moved);
    /// The normalised cross-correlation of `anchor` with `moved` read `shift` samples further on.
    [[nodiscard]] double correlation(const std::vector<double> &anchor, const std::vector<double> &moved,
                                     int shift) const;
    /// The best shift in [low, high], refined by a parabola when it lies inside; `isInterior` says so.
    [[nodiscard]] double peakAround(const std::vector<double> &anchor, const std::vector<double> &moved, int low,
                                    int high, bool &isInterior);
    /// `profile` summed over a window of 2·kSmoothingHalfWidth + 1 samples, into `out`.
    void smooth(const std::vector<double> &profile, std::vector<double> &out) const;

    static constexpr int kSmoothingHalfWidth = 4;
    static constexpr int kRefineReach = 2;
    static constexpr int kNearReach = 3;
    static constexpr double kFartherMargin = 0.05;

    int m_width;
    int m_height;
    int m_reach;
    std::vector<double> m_rowWeights;    ///< over y, for the column profile
    std::vector<double> m_columnWeights; ///< over x, for the row profile
    std::vector<double> m_anchorColumns;
    std::vector<double> m_anchorRows;
    std::vector<double> m_columns;
    std::vector<double> m_rows;
    std::vector<float> m_row;
    std::vector<double> m_scores;
    std::vector<double> m_smoothAnchor;
    std::vector<double> m_smoothMoved;
};

} // namespace waferscope::pipelines::detail
