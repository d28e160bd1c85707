#pragma once

/// RunReport: how a run ended — its final state and reason, the ledger's totals, each wafer's
/// counts and KLARF file, and how long it took. It keeps no defects: those are in the store and the
/// KLARF files, so its size does not grow with the defects a lot finds.
/// Threads: a value. Allocates: its strings and lists.

#include <chrono>
#include <filesystem>
#include <string>
#include <vector>

#include <waferscope/core/run_id.h>
#include <waferscope/core/runs/run_state.h>
#include <waferscope/core/wafer_id.h>
#include <waferscope/pipelines/run/run_ledger.h>

namespace waferscope::pipelines {

struct RunReport {
    struct Wafer {
        core::WaferId waferId;
        core::RunState state = core::RunState::Idle;
        std::uint64_t diesInspected = 0;
        std::uint64_t defects = 0;
        std::filesystem::path klarfFile; ///< empty when none was written
    };

    core::RunId runId;
    core::RunState state = core::RunState::Idle;
    std::string reason;
    RunLedger::Totals ledger;
    std::vector<Wafer> wafers;
    std::chrono::steady_clock::duration elapsed{};
    std::filesystem::path databaseFile;
    std::filesystem::path stagingFolder;
};

} // namespace waferscope::pipelines
