#pragma once

/// CropDropReason: why a defect's crop image was not staged. Crops are optional data and may be
/// dropped; each drop is counted under one of these (the defect record itself is never dropped).
/// Threads: a value. Allocates: nothing.

#include <cstdint>
#include <string_view>

namespace waferscope::pipelines {

enum class CropDropReason : std::uint8_t {
    NoBuffer,    ///< every crop buffer was waiting to be written: the stager is behind
    Backlog,     ///< the staging channel was full: the disk is slower than detection
    WriteFailed, ///< the file could not be written (disk full, permissions)
    RunEnded,    ///< the run ended with the crop still queued
};

inline constexpr CropDropReason kAllCropDropReasons[] = {CropDropReason::NoBuffer, CropDropReason::Backlog,
                                                         CropDropReason::WriteFailed, CropDropReason::RunEnded};

[[nodiscard]] constexpr std::string_view toText(CropDropReason reason) noexcept
{
    switch (reason) {
    case CropDropReason::NoBuffer:
        return "no_buffer";
    case CropDropReason::Backlog:
        return "backlog";
    case CropDropReason::WriteFailed:
        return "write_failed";
    case CropDropReason::RunEnded:
        return "run_ended";
    }
    return "unknown";
}

} // namespace waferscope::pipelines
