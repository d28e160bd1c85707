#pragma once

/// ProfileCorrelator: where a frame's content may lie relative to an anchor image's, from the
/// normalised cross-correlation of their column profiles and of their row profiles over shifts of up
/// to `reach` pixels: on each axis the peak nearest no shift and the best other peaks, each refined by
/// a parabola. A die's fine
/// pattern repeats every few pixels at coarse pixel sizes (pads, lines, vias) and a large defect
/// tilts a profile, so the best peak is not always the right one: the caller tells them apart on
/// the whole image. A profile is taken under a smooth window over the other axis, `reach` pixels in
/// from the frame's edges, so the other axis's offset barely moves it.
/// States: without anchor → anchored (setAnchor()).
/// Threads: one thread at a time. Allocates: its profiles at construction; nothing afterwards.

#include <cmath>
#include <cstdint>
#include <span>
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

    /// Measures `frame`'s (width × height Mono8) profiles against the anchor's. Afterwards
    /// candidatesX() and candidatesY() hold where its content may lie relative to the anchor's
    /// (positive x to the right, positive y down): the peak nearest no shift, then the best others.
    void measure(const std::uint8_t *frame);
    [[nodiscard]] std::span<const double> candidatesX() const noexcept { return m_candidatesX; }
    [[nodiscard]] std::span<const double> candidatesY() const noexcept { return m_candidatesY; }

    static constexpr std::size_t kCandidates = 3;

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
    /// The normalised cross-correlation of `anchor` with `moved` read `shift` samples further on.
    [[nodiscard]] double correlation(const std::vector<double> &anchor, const std::vector<double> &moved,
                                     int shift) const;
    /// kCandidates local maxima of the correlation over the reach, into `out`: the one nearest no
    /// shift, then the best of the others.
    void findCandidates(const std::vector<double> &anchor, const std::vector<double> &moved,
                        std::vector<double> &out);

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
    std::vector<std::size_t> m_ranked;
    std::vector<double> m_candidatesX;
    std::vector<double> m_candidatesY;
};

} // namespace waferscope::pipelines::detail
