#pragma once

/// ReferenceModel: the die as the camera's pixel grid sees it without sub-pixel offset — an image T,
/// kPad pixels larger than a frame on every side — from which any frame of the die is predicted as
/// gain · T(x + kPad + phaseX, y + kPad + phaseY) + offset, bilinearly sampled (see Registration).
/// Learning, from frames whose whole-pixel offsets from the first are roughly known:
///   1. windowed row and column profiles give each frame's sub-pixel phase on each axis, its gain
///      and its offset — the profiles of all frames are one profile resampled, so a one-dimensional
///      least-squares fit finds the phases, and where the pixel grid lies (the phase of the first);
///   2. T is the least-squares solution, by conjugate gradients, of "each frame equals T resampled
///      at its phase, times its gain, plus its offset";
///   3. each frame's registration is refined against T by Gauss–Newton, and T solved again;
///   4. each pixel of each frame's residual is compared with the tightest run of a majority of all
///      frames' residuals at the same place on the die (their consensus); a pixel outside it and
///      more than six noise sigmas off its median is left out of that frame (with a
///      two-pixel margin) and T solved again — twice — so a defect on one die, or on fewer than half
///      the dies at one place, whatever its size, is voted out. Fewer than five frames hold no such
///      majority: T learnt from three or four keeps what their defects leave in it.
/// Registering a frame: refine() is Gauss–Newton on phase, gain and offset over some 65 000 pixels —
/// a grid staggered from row to row, so that every row and every column residue is sampled —
/// skipping pixels that differ by more than a limit (defects).
/// States: empty → learnt (learn()); reset() empties it.
/// Threads: one thread at a time for learn() and reset(); const members from any thread.
/// Allocates: T and its gradients at construction; learn() allocates its scratch and frees it.

#include <cstdint>
#include <span>
#include <vector>

#include <opencv2/core/mat.hpp>
#include <opencv2/core/types.hpp>

#include "registration.h"

namespace waferscope::pipelines::detail {

class ReferenceModel
{
public:
    static constexpr int kPad = 16;

    ReferenceModel(int width, int height);

    /// Learns from `frames` (CV_8U, width × height each, at least three) whose content lies
    /// `coarseShifts[i]` pixels right and down of the first frame's, to within a pixel.
    void learn(std::span<const cv::Mat> frames, std::span<const cv::Point2d> coarseShifts);
    void reset() noexcept;

    [[nodiscard]] bool isLearnt() const noexcept { return m_isLearnt; }
    /// T and its central-difference gradients, (width + 2·kPad) × (height + 2·kPad).
    [[nodiscard]] const cv::Mat &image() const noexcept { return m_image; }
    /// Each learning frame's registration, in the order learn() got them.
    [[nodiscard]] std::span<const Registration> learntRegistrations() const noexcept { return m_learnt; }
    /// Where a frame without misregistration lies, as far as the learning frames tell: their mean phase.
    [[nodiscard]] cv::Point2d nominalPhase() const noexcept { return m_nominal; }
    /// The noise left between the learning frames and T, grey levels.
    [[nodiscard]] double noiseSigma() const noexcept { return m_noiseSigma; }
    /// The part of a frame at `registration` whose prediction only reads pixels of T that every
    /// learning frame constrained; empty when none is.
    [[nodiscard]] cv::Rect inspectableArea(const Registration &registration) const noexcept;

    /// The frame (width × height Mono8) predicted row `y`, at `registration`, into `out`; `scratch`
    /// holds width + 1 floats.
    void predictRow(const Registration &registration, int y, float *out, float *scratch) const noexcept;
    /// The prediction of pixel (x, y) of a frame at `registration`. Precondition: (x, y) lies in
    /// inspectableArea(registration).
    [[nodiscard]] float predictAt(const Registration &registration, int x, int y) const noexcept;
    /// How unlike its prediction at `registration` `frame` (width × height Mono8) is: the mean over
    /// a sparse grid of each pixel's absolute difference, capped at `cap` grey levels so that a
    /// defect weighs no more than its area. Tells a right registration from one a period off.
    [[nodiscard]] double mismatch(const std::uint8_t *frame, const Registration &registration,
                                  float cap) const noexcept;
    /// Refines `start` for `frame` (width × height Mono8) by Gauss–Newton, skipping pixels whose
    /// difference from the prediction exceeds `outlierLimit` grey levels.
    /// At most `iterations` steps (a first look at a candidate takes two).
    [[nodiscard]] Registration refine(const std::uint8_t *frame, Registration start, double outlierLimit,
                                      int iterations = 8) const noexcept;

private:
    struct Learning;

    /// Conjugate gradients on the normal equations, from the current T.
    void solve(Learning &learning, int iterations);
    /// result = Σ frames' adjoint(gain² · mask · forward(value)) + regularisation · value.
    void applyNormal(Learning &learning, const cv::Mat &value, cv::Mat &result) const;
    /// Leaves out of each frame the blobs of its residual that the other frames do not share.
    void updateMasks(Learning &learning) const;
    void computeGradients();
    [[nodiscard]] double residualSigma(const Learning &learning) const;

    int m_width;
    int m_height;
    int m_sampleStep; ///< between refine()'s samples, along a row and from row to row
    cv::Mat m_image;
    cv::Mat m_gradientX;
    cv::Mat m_gradientY;
    std::vector<Registration> m_learnt;
    cv::Point2d m_nominal;
    cv::Rect m_supported; ///< columns and rows of T every learning frame constrained
    double m_noiseSigma = 0.0;
    bool m_isLearnt = false;
};

} // namespace waferscope::pipelines::detail
