#pragma once

/// PhaseCorrelator: how far a frame's content lies from an anchor frame's, from the phase
/// correlation (cv::phaseCorrelate, Hann-windowed) of their central crops — a power of two of at
/// most 256 pixels, up to half the frame's smaller side — so shifts of up to a quarter of the crop
/// are found, to a tenth of a pixel or so. The detector registers its learning frames with it.
/// States: without anchor → anchored (setAnchor()).
/// Threads: one thread at a time. Allocates: its crops at construction; shiftOf() allocates only
/// what cv::phaseCorrelate takes for itself.

#include <cstdint>

#include <opencv2/core/mat.hpp>
#include <opencv2/core/types.hpp>

namespace waferscope::pipelines::detail {

class PhaseCorrelator
{
public:
    PhaseCorrelator(int width, int height);

    /// Anchors on the central crop of `frame`, width × height Mono8.
    void setAnchor(const std::uint8_t *frame);

    /// Where `frame`'s content lies relative to the anchor's: positive x is to the right.
    [[nodiscard]] cv::Point2d shiftOf(const std::uint8_t *frame);

private:
    void load(const std::uint8_t *frame, cv::Mat &crop) const;

    int m_width;
    cv::Rect m_rect;
    cv::Mat m_window;
    cv::Mat m_anchor;
    cv::Mat m_first;  ///< phaseCorrelate multiplies its inputs by the window in place: work on copies
    cv::Mat m_second;
};

} // namespace waferscope::pipelines::detail
