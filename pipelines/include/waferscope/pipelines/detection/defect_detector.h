#pragma once

/// DefectDetector: finds defects by comparing each die's frame with a reference die learnt from the
/// first frames of the scan — die-to-reference inspection. Each defect comes with its box, its place
/// on the die in µm, its area, polarity and class (particle, scratch or pattern defect, by simple
/// measured rules); copyCrop() cuts the crop around one for image staging.
/// Reference: a least-squares model of the die that, resampled at each learning frame's sub-pixel
/// offset and times its gain, reproduces that frame (a median of resampled dies would blur edges
/// unlike the frames, and leave residues of many noise sigmas there); what one learning die shows
/// and the others do not — its defects, or two dies' at one place, whatever their size — is voted
/// out, pixel by pixel, when five dies or more are learnt from.
/// Learning: the first referenceSize frames are copied into the detector's own buffers, so the
/// caller may give each back as soon as inspect() returns; the call that brings the last of them
/// learns the reference and inspects them all, in the order they came; every later call inspects its
/// own frame. So every frame is inspected exactly once, its inspection carrying its metadata.
/// flush() ends learning early: with three frames or more held it learns from those; with fewer it
/// reports them NoReference.
/// Registration: from row and column profiles, smoothed first so that a pattern repeating every few
/// pixels (pads, lines, vias at coarse pixel sizes) cannot pull it a period off; up to 13 pixels.
/// Per frame: registered against the reference to well within a tenth of a pixel (shift, gain and
/// offset), the difference from the resampled reference is thresholded at thresholdSigma robust
/// noise sigmas. A blob's size is its box's larger side plus one, for the rim a defect covers only
/// in part stays below the threshold; blobs smaller than minDefectSizePx, or too faint as a whole to
/// be more than noise, are dropped.
/// States: learning → inspecting; reset() forgets the reference and goes back to learning.
/// Threads: one thread at a time; OpenCV may use its own worker threads inside a call.
/// Allocates: every buffer at construction, scratch for the solve while learning; inspecting a frame
/// allocates nothing itself, only the small buffers cv::connectedComponentsWithStats takes for
/// itself (about ten).

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
