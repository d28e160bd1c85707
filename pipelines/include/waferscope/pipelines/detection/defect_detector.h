#pragma once

/// DefectDetector: finds defects by comparing each die's frame with a reference die learnt from the
/// first dies of the scan — die-to-reference inspection.
/// Reference: learnt from the first referenceSize frames. Phase correlation gives each one's offset
/// from the first; row and column profiles give every offset to a few thousandths of a pixel, and
/// where the pixel grid lies. The reference is then solved by least squares as the die seen without
/// sub-pixel offset, such that resampling it at each frame's offset, times the frame's gain,
/// reproduces that frame: a plain median of resampled dies would blur edges differently from the
/// frames and leave edge residues of many noise sigmas. A pixel where one learning frame disagrees
/// with the others is left out of that frame, and the reference solved again, so a defect on one
/// learning die is voted out.
/// Learning: the first referenceSize frames are copied into the detector's own buffers, so the
/// caller may give each back as soon as inspect() returns. The call that brings the last of them
/// learns the reference and inspects all of them, in the order they came; every later call inspects
/// its own frame. So every frame is inspected exactly once, and its inspection carries its metadata.
/// flush() ends learning early: with at least three frames held it learns from those; with fewer it
/// reports them NoReference.
/// Per frame: phase correlation and then Gauss–Newton on shift, gain and offset register the frame
/// against the reference (to about a hundredth of a pixel); the difference from the resampled
/// reference is thresholded at thresholdSigma times its noise (a robust sigma from the median
/// absolute difference), growing each blob into neighbours of the same polarity beyond 70 % of that;
/// two scratches crossing are split apart, and pieces of one defect joined (nearby, or along a
/// line); a blob's size is its box's larger side plus one, for the rim a defect covers only in part
/// and that mostly stays below the threshold; blobs smaller than minDefectSizePx, or too faint as a
/// whole to be more than noise, are dropped; the rest are measured and classed by simple rules: long and thin is a
/// scratch; a blob brighter or darker than anything the reference shows around it is a particle of
/// its polarity; otherwise it is the pattern's own material in the wrong place — a missing feature
/// where the reference has a feature the frame lacks, a bridge where added material joins two
/// features of the same level, an extra feature otherwise.
/// States: learning (fewer than referenceSize frames held) → inspecting; reset() goes back to
/// learning and forgets the reference.
/// Threads: one thread at a time; OpenCV may use its own worker threads inside a call.
/// Allocates: every buffer at construction, scratch for the solve while learning; inspecting a
/// frame allocates nothing itself, only the few small buffers OpenCV's phase correlation and
/// connected components take for themselves.

#include <cstddef>
#include <memory>
#include <span>

#include <waferscope/hardware/frame_metadata.h>
#include <waferscope/pipelines/detection/detected_defect.h>
#include <waferscope/pipelines/detection/detector_config.h>
#include <waferscope/pipelines/detection/frame_inspection.h>

namespace waferscope::pipelines {

class DefectDetector
{
public:
    /// Validates `config` (core::ValidationError) and allocates every buffer.
    explicit DefectDetector(const DetectorConfig &config);
    ~DefectDetector();
    DefectDetector(const DefectDetector &) = delete;
    DefectDetector &operator=(const DefectDetector &) = delete;

    [[nodiscard]] const DetectorConfig &config() const noexcept;
    [[nodiscard]] bool hasReference() const noexcept;
    /// Frames held for learning, not yet inspected.
    [[nodiscard]] std::size_t heldFrames() const noexcept;

    /// Offers one frame: `pixels` holds format().frameBytes() bytes of Mono8, read only during the
    /// call. Returns the inspections this call completed, in the order their frames came: none while
    /// learning, referenceSize when the frame completes the reference, one afterwards. They stay
    /// valid until the next call. Throws std::invalid_argument when `pixels` is too small.
    [[nodiscard]] std::span<const FrameInspection> inspect(const hardware::FrameMetadata &metadata,
                                                           std::span<const std::byte> pixels);
    /// Learns from the frames held so far and inspects them (see the class comment).
    [[nodiscard]] std::span<const FrameInspection> flush();
    /// Forgets the reference and any held frames; the next frames are learnt from.
    void reset() noexcept;

    /// Copies the cropSizePx² crop centred on `defect` out of `inspection.pixels` into `destination`
    /// (row by row, no padding), moved inward as far as needed to stay inside the frame. Returns
    /// where the crop lies in the frame. Throws std::invalid_argument when `destination` is too small.
    DetectedDefect::PixelBox copyCrop(const FrameInspection &inspection, const DetectedDefect &defect,
                                      std::span<std::byte> destination) const;

private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

} // namespace waferscope::pipelines
