#pragma once

/// CameraState: a camera's polled state — whether it is connected and acquiring, how many frames it
/// has delivered, and the sequence number its next frame slot will carry.
/// Threads: a value. Allocates: nothing.

#include <cstdint>

#include <waferscope/runtime/executor.h>

namespace waferscope::hardware {

struct CameraState {
    bool isConnected = true;
    bool isAcquiring = false;
    std::uint64_t framesDelivered = 0;
    std::uint64_t nextSequence = 0;
    runtime::TimePoint timestamp{}; ///< when the state was sampled, on the machine's clock
};

} // namespace waferscope::hardware
