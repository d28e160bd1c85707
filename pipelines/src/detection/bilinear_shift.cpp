#include "bilinear_shift.h"

#include <algorithm>
#include <cmath>

namespace waferscope::pipelines::detail {

BilinearShift::BilinearShift(const cv::Mat &source, double offsetX, double offsetY) noexcept
    : m_source(&source)
    , m_wholeX(static_cast<int>(std::floor(offsetX)))
    , m_wholeY(static_cast<int>(std::floor(offsetY)))
    , m_fractionX(static_cast<float>(offsetX - std::floor(offsetX)))
    , m_fractionY(static_cast<float>(offsetY - std::floor(offsetY)))
{
}

void BilinearShift::row(int y, int width, float *out, float *scratch) const noexcept
{
    const cv::Mat &source = *m_source;
    const int upperRow = y + m_wholeY;
    const bool hasUpper = upperRow >= 0 && upperRow < source.rows;
    const bool hasLower = upperRow + 1 >= 0 && upperRow + 1 < source.rows;
    // Columns of the vertical blend that exist in the source: x + m_wholeX in [0, cols − 1].
    const int first = std::clamp(-m_wholeX, 0, width + 1);
    const int last = std::clamp(source.cols - m_wholeX, first, width + 1);
    std::fill(scratch, scratch + first, 0.0F);
    std::fill(scratch + last, scratch + width + 1, 0.0F);
    const float lowerWeight = hasLower ? m_fractionY : 0.0F;
    const float upperWeight = hasUpper ? 1.0F - m_fractionY : 0.0F;
    const float *upper = source.ptr<float>(hasUpper ? upperRow : 0);
    const float *lower = source.ptr<float>(hasLower ? upperRow + 1 : 0);
    const int shift = m_wholeX;
    for (int x = first; x < last; ++x) {
        scratch[x] = upperWeight * upper[x + shift] + lowerWeight * lower[x + shift];
    }
    const float right = m_fractionX;
    const float left = 1.0F - m_fractionX;
    for (int x = 0; x < width; ++x) {
        out[x] = left * scratch[x] + right * scratch[x + 1];
    }
}

void BilinearShift::apply(cv::Mat &destination, float *scratch) const noexcept
{
    for (int y = 0; y < destination.rows; ++y) {
        row(y, destination.cols, destination.ptr<float>(y), scratch);
    }
}

} // namespace waferscope::pipelines::detail
