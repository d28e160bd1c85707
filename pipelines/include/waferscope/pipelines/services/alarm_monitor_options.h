#pragma once

/// AlarmMonitorOptions: what the alarm monitor judges by — the recipe's alarm limits and fault
/// actions, where it reads the pipeline's totals and the free disk space — and how often it looks.
/// Counter rules: frames.lost is active while at least limits.framesLostThreshold frames were lost
/// within framesLostWindow; frame_pool.exhausted and staging.backlog while their total rose by at
/// least their threshold within their window; store.failing while counters.isStoreFailing() says so;
/// database.replaced while a database was replaced within databaseReplacedWindow.
/// Disk: free space is read from freeDiskBytes when it is set (nullopt: the reading failed), else
/// with std::filesystem::space(dataFolder); with neither, disk.space_low never activates. It is read
/// at least every diskCheckPeriod, and sooner while the disk fills: from the rate the free space fell
/// between the last two readings, the next reading comes before a quarter of the room left above the
/// minimum can be used up, but not sooner than diskCheckMinimumPeriod.
/// Run actions: onRunAction is called on the monitor's executor; it must not block or throw.
/// Threads: a value. Allocates: its functions and path.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>

#include <waferscope/core/recipes/recipe.h>
#include <waferscope/pipelines/services/pipeline_counters.h>
#include <waferscope/pipelines/services/run_action.h>
#include <waferscope/runtime/executor.h>

namespace waferscope::pipelines {

struct AlarmMonitorOptions {
    core::Recipe::Alarms limits;
    core::Recipe::FaultActions faultActions;
    PipelineCounters counters;
    runtime::Clock::duration period = std::chrono::milliseconds(10);
    /// About one wafer's scan: frames lost on one wafer are what the threshold is about.
    runtime::Clock::duration framesLostWindow = std::chrono::seconds(10);
    std::uint64_t poolExhaustedThreshold = 1;
    runtime::Clock::duration poolExhaustedWindow = std::chrono::seconds(1);
    std::uint64_t cropsDroppedThreshold = 1;
    runtime::Clock::duration cropsDroppedWindow = std::chrono::seconds(1);
    std::filesystem::path dataFolder;
    std::function<std::optional<std::uintmax_t>()> freeDiskBytes;
    runtime::Clock::duration diskCheckPeriod = std::chrono::seconds(1);
    runtime::Clock::duration diskCheckMinimumPeriod = std::chrono::milliseconds(20);
    runtime::Clock::duration databaseReplacedWindow = std::chrono::seconds(10);
    /// Events buffered for the reader of events(); more wait in the monitor's backlog.
    std::size_t eventCapacity = 1024;
    std::function<void(const RunAction &)> onRunAction;
};

} // namespace waferscope::pipelines
