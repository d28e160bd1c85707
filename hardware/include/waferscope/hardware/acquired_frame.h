#pragma once

/// AcquiredFrame: what Camera::acquire() hands back — a frame (a lease on a buffer of the pipeline's
/// FramePool, and its metadata), or why there is none: the scan ended, acquisition was stopped, or
/// the camera disconnected (that frame slot is lost; acquisition goes on when it comes back).
/// Ownership: it holds the lease, so destroying it returns the buffer to the pool. Move-only.
/// Metadata: set for Frame and for Disconnected (the slot that was lost); empty otherwise.
/// Threads: a value. Allocates: nothing.

#include <cstdint>

#include <waferscope/hardware/frame_metadata.h>
#include <waferscope/runtime/frame_pool.h>

namespace waferscope::hardware {

struct AcquiredFrame {
    enum class Status : std::uint8_t { Frame, EndOfScan, Stopped, Disconnected };

    Status status = Status::EndOfScan;
    runtime::FrameLease lease;
    FrameMetadata metadata;

    [[nodiscard]] bool hasFrame() const noexcept { return status == Status::Frame; }
};

} // namespace waferscope::hardware
