#pragma once

/// DefectCrop: the pixels around one defect, on their way to the image stager — a lease on a small
/// buffer of the crop pool (never the frame's own buffer, which goes back to the camera's pool as
/// soon as the crops are copied out), its size, and the file it is to be written to.
/// Ownership: move-only; destroying it returns the buffer.
/// Threads: a value handed from detection to the stager. Allocates: the path.

#include <cstdint>
#include <filesystem>
#include <utility>

#include <waferscope/runtime/frame_pool.h>

namespace waferscope::pipelines {

struct DefectCrop {
    DefectCrop() = default;
    /// A constructor, not an aggregate: crops are built next to co_await expressions, and GCC 12
    /// destroys aggregate temporaries there twice.
    DefectCrop(runtime::FrameLease lease, int columns, int rows, std::uint64_t defect, std::filesystem::path file)
        : pixels(std::move(lease))
        , width(columns)
        , height(rows)
        , defectId(defect)
        , path(std::move(file))
    {
    }

    runtime::FrameLease pixels; ///< Mono8, width × height, rows packed
    int width = 0;
    int height = 0;
    std::uint64_t defectId = 0;
    std::filesystem::path path;
};

} // namespace waferscope::pipelines
