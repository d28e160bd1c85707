#pragma once

/// WaferRecord: one wafer of a run as the store keeps it — the run, the wafer's id and carrier slot,
/// its state, when it started and ended and why, the dies inspected, the defects found and the
/// KLARF file written for it.
/// States: a wafer goes through the run's states — Checking, Running, Paused, then Completed,
/// Aborted or Failed — so it reuses RunState.
/// Identity: a wafer id is unique within its run.
/// Open: a wafer that has not ended has no end time, an empty end reason, zero counts and no KLARF
/// path (empty).
/// Threads: a value. Allocates: its strings.

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

#include <waferscope/core/run_id.h>
#include <waferscope/core/runs/run_state.h>
#include <waferscope/core/wafer_id.h>

namespace waferscope::core {

struct WaferRecord {
    using Time = std::chrono::system_clock::time_point;

    RunId runId;
    WaferId waferId;
    int slot = 1; ///< carrier slot, 1…25
    RunState state = RunState::Checking;
    Time startedAt;
    std::optional<Time> endedAt;
    std::string endReason;
    std::int64_t dieCount = 0;    ///< dies inspected, as the pipeline counted them
    std::int64_t defectCount = 0; ///< defects found, as the pipeline counted them
    std::string klarfPath;        ///< empty: none written

    friend bool operator==(const WaferRecord &, const WaferRecord &) = default;
};

} // namespace waferscope::core
