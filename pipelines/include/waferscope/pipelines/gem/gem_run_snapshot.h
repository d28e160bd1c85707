#pragma once

/// GemRunSnapshot: the run as the host sees it, taken on the GUI thread at each run-state change
/// and handed to the GEM thread: run id, state and its reason, lot and PPID (known for runs the
/// host started), wafer position and defects found so far.
/// Threads: a value. Allocates: its strings.

#include <cstdint>
#include <string>

#include <waferscope/core/runs/run_state.h>

namespace waferscope::pipelines::gem {

struct GemRunSnapshot {
    std::uint64_t runId = 0;
    core::RunState state = core::RunState::Idle;
    std::string reason;
    std::string lotId;
    std::string ppid;
    std::uint32_t waferIndex = 0; ///< 1-based; 0 before the first wafer
    std::uint32_t waferCount = 0;
    std::uint64_t defects = 0;
};

} // namespace waferscope::pipelines::gem
