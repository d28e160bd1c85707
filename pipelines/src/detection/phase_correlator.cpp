#include "phase_correlator.h"

#include <algorithm>

#include <opencv2/imgproc.hpp>

namespace waferscope::pipelines::detail {

namespace {

int cropSide(int width, int height)
{
    const int limit = std::min({256, width / 2, height / 2});
    int side = 16;
    while (side * 2 <= limit) {
        side *= 2;
    }
    return side;
}

} // namespace

PhaseCorrelator::PhaseCorrelator(int width, int height)
    : m_width(width)
{
    const int side = cropSide(width, height);
    m_rect = cv::Rect((width - side) / 2, (height - side) / 2, side, side);
    cv::createHanningWindow(m_window, m_rect.size(), CV_32F);
    m_anchor.create(m_rect.size(), CV_32F);
    m_first.create(m_rect.size(), CV_32F);
    m_second.create(m_rect.size(), CV_32F);
}

void PhaseCorrelator::load(const std::uint8_t *frame, cv::Mat &crop) const
{
    for (int y = 0; y < m_rect.height; ++y) {
        const std::uint8_t *source = frame + static_cast<std::ptrdiff_t>(m_rect.y + y) * m_width + m_rect.x;
        float *out = crop.ptr<float>(y);
        for (int x = 0; x < m_rect.width; ++x) {
            out[x] = source[x];
        }
    }
}

void PhaseCorrelator::setAnchor(const std::uint8_t *frame)
{
    load(frame, m_anchor);
}

cv::Point2d PhaseCorrelator::shiftOf(const std::uint8_t *frame)
{
    m_anchor.copyTo(m_first);
    load(frame, m_second);
    return cv::phaseCorrelate(m_first, m_second, m_window);
}

} // namespace waferscope::pipelines::detail
