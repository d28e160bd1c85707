#pragma once

/// FrameMetadata: what a camera stamps on a frame — its sequence number, when it was exposed and
/// for how long, its format, and the run, wafer and die it belongs to. The run, wafer and die come
/// from the scan plan the camera was started with, never from ambient state.
/// Sequence numbers count frame slots over the camera's life: a gap is a lost frame.
/// Threads: a value. Allocates: nothing (WaferId is stored inline).

#include <chrono>
#include <cstdint>

#include <waferscope/core/die_index.h>
#include <waferscope/core/run_id.h>
#include <waferscope/core/wafer_id.h>
#include <waferscope/hardware/image_format.h>
#include <waferscope/runtime/executor.h>

namespace waferscope::hardware {

struct FrameMetadata {
    std::uint64_t sequence = 0;
    runtime::TimePoint timestamp{}; ///< start of the exposure, on the machine's clock
    std::chrono::microseconds exposure{0};
    ImageFormat format;
    core::RunId runId;
    core::WaferId waferId;
    core::DieIndex die;
};

} // namespace waferscope::hardware
