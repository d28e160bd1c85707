#pragma once

/// WaferSegment: what the detection stage reports when a stretch of a wafer's scan ends — at the end
/// of the wafer, or at a stop (a pause or an abort; a resumed wafer goes on in a new segment).
/// It carries the segment's counts and its part of the wafer's KLARF result (dies inspected, and
/// defects numbered from 1 within the segment), which the engine joins into the wafer's result.
/// Threads: a value, handed from the detection executor to the engine. Allocates: its lists.

#include <cstdint>
#include <utility>
#include <vector>

#include <waferscope/core/results/wafer_result.h>

namespace waferscope::pipelines {

struct WaferSegment {
    WaferSegment() = default;
    /// A constructor, not an aggregate, so it may be built beside a co_await (GCC 12).
    WaferSegment(bool ended, std::uint64_t frames, std::vector<core::DieIndex> dies,
                 std::vector<core::WaferResult::Defect> found)
        : isWaferEnd(ended)
        , framesProcessed(frames)
        , inspectedDies(std::move(dies))
        , defects(std::move(found))
    {
    }

    bool isWaferEnd = false; ///< the scan reached the wafer's end; false: it was stopped
    std::uint64_t framesProcessed = 0;
    std::vector<core::DieIndex> inspectedDies;
    std::vector<core::WaferResult::Defect> defects;
};

} // namespace waferscope::pipelines
