#pragma once

/// FrameInspection: what inspecting one frame found — the frame's metadata (run, wafer, die), its
/// defects, how many more it had than the detector reports, where the frame lay against the
/// reference (its misregistration and gain), the noise its threshold was set from, the part of the
/// frame inspected, and the pixels the defects were found in, from which crops are cut.
/// Status: Inspected, or NoReference for a frame held for learning when too few frames came to
/// learn a reference from (DefectDetector::flush()); such a frame has no defects.
/// Lifetime: `defects` and `pixels` stay valid until the detector is next called; `pixels` is the
/// caller's frame for a frame inspected as it came, the detector's copy for one held for learning.
/// Threads: a value that refers to storage of its detector. Allocates: nothing.

#include <cstddef>
#include <cstdint>
#include <span>

#include <waferscope/hardware/frame_metadata.h>
#include <waferscope/pipelines/detection/detected_defect.h>

namespace waferscope::pipelines {

struct FrameInspection {
    enum class Status : std::uint8_t { Inspected, NoReference };

    Status status = Status::Inspected;
    hardware::FrameMetadata metadata;
    std::span<const DetectedDefect> defects;
    /// Defects found beyond DetectorConfig::maxDefectsPerFrame; one more for a frame so unlike the
    /// reference that not all its differing pixels could be followed.
    std::size_t overflowCount = 0;
    double shiftXPx = 0.0;         ///< the frame's content lies this far right of the reference's nominal place
    double shiftYPx = 0.0;         ///< … and this far down
    double gain = 1.0;             ///< brightness relative to the reference
    double noiseSigma = 0.0;       ///< of the difference image, grey levels
    DetectedDefect::PixelBox inspectedArea;
    std::span<const std::byte> pixels;
};

} // namespace waferscope::pipelines
