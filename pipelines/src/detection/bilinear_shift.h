#pragma once

/// BilinearShift: a float image sampled at one constant sub-pixel offset — pixel (x, y) of the result
/// is the source's bilinear interpolation at (x + offsetX, y + offsetY), zero outside the source.
/// The detector models every frame as its reference sampled this way, and the least-squares solve
/// of the reference needs the adjoint too: the shift by the negated offset is exactly that adjoint.
/// Threads: a value that reads its source; any number may read one source. Allocates: nothing.

#include <opencv2/core/mat.hpp>

namespace waferscope::pipelines::detail {

class BilinearShift
{
public:
    /// Precondition: `source` is CV_32F and outlives the shift.
    BilinearShift(const cv::Mat &source, double offsetX, double offsetY) noexcept;

    /// Row `y` of the shifted image, `width` pixels, into `out`; `scratch` holds width + 1 floats.
    void row(int y, int width, float *out, float *scratch) const noexcept;
    /// The whole shifted image into `destination` (CV_32F, any size); `scratch` holds cols + 1 floats.
    void apply(cv::Mat &destination, float *scratch) const noexcept;

private:
    const cv::Mat *m_source;
    int m_wholeX;
    int m_wholeY;
    float m_fractionX;
    float m_fractionY;
};

} // namespace waferscope::pipelines::detail
