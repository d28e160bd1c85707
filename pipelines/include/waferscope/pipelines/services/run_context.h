#pragma once

/// RunContext: the run the machine is working on now, as the engine tells the background services.
/// The engine sets it when a run starts and clears it when the run ends; every service reads it once
/// per tick and stamps that run into what it produces in the tick (telemetry samples, alarm
/// conditions), so the run id travels in the data, never in thread-local state.
/// States: no run (runId() is not valid) → a run (setRunId()) → no run (clear()).
/// Threads: any thread may set, clear and read it at any time; a reader sees one whole run id that
/// was set, never a mix of two.
/// Allocates: nothing.

#include <atomic>
#include <cstdint>

#include <waferscope/core/run_id.h>

namespace waferscope::pipelines {

class RunContext
{
public:
    RunContext() noexcept = default;
    RunContext(const RunContext &) = delete;
    RunContext &operator=(const RunContext &) = delete;

    void setRunId(core::RunId run) noexcept { m_run.store(run.value(), std::memory_order_relaxed); }
    void clear() noexcept { m_run.store(0, std::memory_order_relaxed); }

    /// Relaxed: the run id is the whole message; nothing else is published through it.
    [[nodiscard]] core::RunId runId() const noexcept { return core::RunId(m_run.load(std::memory_order_relaxed)); }

private:
    std::atomic<std::uint64_t> m_run{0};
};

} // namespace waferscope::pipelines
