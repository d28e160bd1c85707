#pragma once

/// ImageFormat: the shape of a camera's frames — width × height pixels of Mono8 (one byte per
/// pixel, rows packed without padding, row 0 at the top) — and the size of a pixel on the wafer.
/// Threads: a value. Allocates: nothing.

#include <cstddef>

namespace waferscope::hardware {

struct ImageFormat {
    int width = 1024;
    int height = 1024;
    double pixelSizeUm = 12.0;

    [[nodiscard]] std::size_t frameBytes() const noexcept
    {
        return static_cast<std::size_t>(width) * static_cast<std::size_t>(height);
    }

    friend bool operator==(const ImageFormat &, const ImageFormat &) = default;
};

} // namespace waferscope::hardware
