#pragma once

/// The per-pixel loop of WaferRenderer, in its own file so it can be compiled for speed: shifts the
/// die template by a sub-pixel offset with a separable bilinear (1/16 pixel steps), scales by the
/// frame's gain and adds sensor noise from a table, one random table offset per row.
/// Threads: a pure function of its arguments. Allocates: nothing.

#include <cstddef>
#include <cstdint>

#include "random.h"

namespace waferscope::hardware::sim::detail {

struct ResampleJob {
    const std::uint8_t *source; ///< template pixel (ix, iy): the top-left of the first 2×2 neighbourhood
    int sourceStride;
    int fractionX; ///< 0…15: sixteenths of a pixel toward the next column
    int fractionY; ///< 0…15: sixteenths of a pixel toward the next row
    std::uint16_t gainQ8; ///< gain × 256
    const std::int8_t *noise;
    std::size_t noiseMask; ///< offsets are drawn in [0, noiseMask]; the table is noiseMask + 1 + width long
    std::uint8_t *destination;
    int width;
    int height;
    std::uint16_t *rowA; ///< scratch, width entries
    std::uint16_t *rowB; ///< scratch, width entries
};

void resample(const ResampleJob &job, SplitMix64 &random) noexcept;

} // namespace waferscope::hardware::sim::detail
