#pragma once

/// BlobStats: what is summed over the pixels of one blob of one polarity — its extent, pixel count,
/// total contrast, the moments of its shape, its strongest difference and the levels of the frame
/// and of the difference in it. Sums add, so the pieces of one defect merge by adding.
/// shape() derives the unweighted centroid and the principal axes: a line of L × W pixels has
/// length L and width W.
/// Threads: a value. Allocates: nothing.

#include <algorithm>
#include <cmath>

namespace waferscope::pipelines::detail {

struct BlobShape {
    double centroidX = 0.0;
    double centroidY = 0.0;
    double length = 0.0; ///< along the major axis, pixels
    double width = 0.0;  ///< along the minor axis, pixels
    double axisX = 1.0;  ///< unit vector of the major axis
    double axisY = 0.0;

    /// Long and thin: at least three times as long as wide, and eight pixels long.
    [[nodiscard]] bool isElongated() const noexcept { return length >= 3.0 * width && length >= 8.0; }
};

struct BlobStats {
    int left = 0;
    int top = 0;
    int right = -1; ///< inclusive
    int bottom = -1;
    int area = 0;
    bool isBright = true;
    double weight = 0.0; ///< Σ |difference|
    double sumX = 0.0;
    double sumY = 0.0;
    double sumXX = 0.0;
    double sumXY = 0.0;
    double sumYY = 0.0;
    double sumFrame = 0.0;
    double sumDifference = 0.0;
    float peak = 0.0F;         ///< largest |difference|
    float extremeFrame = 0.0F; ///< brightest frame pixel of a bright blob, darkest of a dark one

    void add(int x, int y, float difference, float frame) noexcept
    {
        if (area == 0) {
            left = right = x;
            top = bottom = y;
            extremeFrame = frame;
        }
        left = std::min(left, x);
        right = std::max(right, x);
        top = std::min(top, y);
        bottom = std::max(bottom, y);
        ++area;
        const double w = std::abs(difference);
        weight += w;
        sumX += x;
        sumY += y;
        sumXX += static_cast<double>(x) * x;
        sumXY += static_cast<double>(x) * y;
        sumYY += static_cast<double>(y) * y;
        sumFrame += frame;
        sumDifference += difference;
        peak = std::max(peak, static_cast<float>(w));
        extremeFrame = isBright ? std::max(extremeFrame, frame) : std::min(extremeFrame, frame);
    }

    void merge(const BlobStats &other) noexcept
    {
        if (other.area == 0) {
            return;
        }
        if (area == 0) {
            *this = other;
            return;
        }
        left = std::min(left, other.left);
        right = std::max(right, other.right);
        top = std::min(top, other.top);
        bottom = std::max(bottom, other.bottom);
        area += other.area;
        weight += other.weight;
        sumX += other.sumX;
        sumY += other.sumY;
        sumXX += other.sumXX;
        sumXY += other.sumXY;
        sumYY += other.sumYY;
        sumFrame += other.sumFrame;
        sumDifference += other.sumDifference;
        peak = std::max(peak, other.peak);
        extremeFrame
            = isBright ? std::max(extremeFrame, other.extremeFrame) : std::min(extremeFrame, other.extremeFrame);
    }

    [[nodiscard]] int boxWidth() const noexcept { return right - left + 1; }
    [[nodiscard]] int boxHeight() const noexcept { return bottom - top + 1; }

    [[nodiscard]] BlobShape shape() const noexcept
    {
        BlobShape s;
        const double n = area;
        s.centroidX = sumX / n;
        s.centroidY = sumY / n;
        // A pixel is a unit square: its own spread, 1/12 on each axis, is added to the centres'.
        const double xx = sumXX / n - s.centroidX * s.centroidX + 1.0 / 12.0;
        const double yy = sumYY / n - s.centroidY * s.centroidY + 1.0 / 12.0;
        const double xy = sumXY / n - s.centroidX * s.centroidY;
        const double half = 0.5 * (xx + yy);
        const double spread = std::sqrt(0.25 * (xx - yy) * (xx - yy) + xy * xy);
        const double major = half + spread;
        const double minor = std::max(half - spread, 1.0 / 12.0);
        s.length = std::sqrt(12.0 * major);
        s.width = std::sqrt(12.0 * minor);
        const double angle = 0.5 * std::atan2(2.0 * xy, xx - yy);
        s.axisX = std::cos(angle);
        s.axisY = std::sin(angle);
        return s;
    }
};

} // namespace waferscope::pipelines::detail
