#pragma once

/// MachineModel: the simulated machine's physical state that its devices share — where the stage
/// is going, the lamp's set-point, the vacuum, whether a scan runs — and the fault timeline, all
/// read against the machine's clock.
/// Clock: the current executor's (a test's ManualExecutor runs the whole machine on fake time), or
/// the steady clock on a thread without one. Power-on is the model's construction.
/// Sampling: each device reports a sample taken on its own grid (stage every stageSamplePeriod,
/// vacuum and lamp every sensorSamplePeriod, from power-on) and caches it, so polls within one
/// period are answered from the cache; a command clears the cache of the device it changes, and a
/// stage move takes a fresh sample when it starts.
/// Faults: the timeline is an immutable FaultTimeline behind a shared pointer. Readers copy the
/// pointer (no allocation) and keep that one snapshot for as long as they need one consistent view
/// — a device sample, or a whole frame. injectFault() builds a new timeline holding the old one's
/// faults and the new one (copy-on-write), publishes it, and clears every cached sample, so the
/// next poll of each device reads the new timeline.
/// Threads: every member may be called from any thread; one mutex guards the device state, held
/// only to compute a few numbers; a second one guards the timeline pointer, held only to copy or
/// swap it; a third one only lines up concurrent injectFault() calls.
/// Allocates: nothing after construction, except in injectFault().

#include <atomic>
#include <memory>
#include <mutex>
#include <optional>

#include <waferscope/core/die_grid.h>
#include <waferscope/hardware/heartbeat.h>
#include <waferscope/hardware/illumination_state.h>
#include <waferscope/hardware/machine_state.h>
#include <waferscope/hardware/sim/simulator_config.h>
#include <waferscope/hardware/stage_state.h>
#include <waferscope/hardware/vacuum_state.h>

#include "fault_timeline.h"

namespace waferscope::hardware::sim::detail {

class MachineModel
{
public:
    /// Precondition: `config` is valid.
    explicit MachineModel(const SimulatorConfig &config);

    /// The machine's clock, read on the calling thread.
    [[nodiscard]] static runtime::TimePoint now() noexcept;

    [[nodiscard]] const SimulatorConfig &config() const noexcept { return m_config; }
    [[nodiscard]] const core::DieGrid &grid() const noexcept { return m_grid; }
    /// The fault timeline as it stands now. Keep the pointer for as long as one consistent view is
    /// needed: a later injectFault() publishes a new timeline and leaves this one as it was.
    [[nodiscard]] std::shared_ptr<const FaultTimeline> faults() const noexcept
    {
        const std::lock_guard lock(m_faultsMutex);
        return m_faults;
    }
    /// Adds `fault`, its start counted from `now` instead of power-on, and returns it as placed
    /// (start counted from power-on). Precondition: `fault` is valid.
    FaultSpec injectFault(FaultSpec fault, runtime::TimePoint now);
    [[nodiscard]] runtime::TimePoint powerOn() const noexcept { return m_powerOn; }
    [[nodiscard]] bool isPaced() const noexcept { return m_config.timing.pacing == SimulatorConfig::Pacing::Realtime; }

    /// Sends the stage toward `die`'s centre from `start`; returns when it will have settled (at
    /// once, unpaced). Precondition: `die` is on the grid.
    runtime::TimePoint beginMove(core::DieIndex die, runtime::TimePoint start);
    [[nodiscard]] StageState stageState(runtime::TimePoint now);
    /// The stage at exactly `t`, off the sample grid: what a completed move reports on arrival.
    [[nodiscard]] StageState stageStateAt(runtime::TimePoint t);

    void setIntensity(double percent);
    [[nodiscard]] IlluminationState illuminationState(runtime::TimePoint now);
    /// The lamp's output at `t` relative to its power-on set-point, under `faults`: how bright a
    /// frame comes out.
    [[nodiscard]] double illuminationFactor(const FaultTimeline &faults, runtime::TimePoint t) const;

    void setVacuumOn(bool isOn);
    [[nodiscard]] VacuumState vacuumState(runtime::TimePoint now);

    [[nodiscard]] Heartbeat heartbeat(runtime::TimePoint now) const noexcept;

    void setScanning(bool isScanning) noexcept { m_isScanning.store(isScanning, std::memory_order_relaxed); }
    [[nodiscard]] bool isScanning() const noexcept { return m_isScanning.load(std::memory_order_relaxed); }
    [[nodiscard]] MachineState machineState() const noexcept
    {
        return isScanning() ? MachineState::Scanning : MachineState::Idle;
    }

    [[nodiscard]] bool isCameraConnected(runtime::TimePoint t) const noexcept
    {
        return !faults()->isActive(FaultKind::CameraDisconnect, t);
    }

private:
    struct Move {
        core::PointMm from;
        core::PointMm to;
        runtime::TimePoint start;
        runtime::TimePoint arrival; ///< travel ends
        runtime::TimePoint settled; ///< settling ends
    };

    /// The start of the sample period holding `t`, on a grid from power-on.
    [[nodiscard]] runtime::TimePoint sampleTime(runtime::TimePoint t, runtime::Clock::duration period) const noexcept;
    /// Precondition: m_mutex held.
    [[nodiscard]] core::PointMm positionAt(runtime::TimePoint t) const noexcept;
    /// Precondition: m_mutex held.
    [[nodiscard]] StageState stageAt(runtime::TimePoint t) const noexcept;
    /// Precondition: m_mutex held.
    void clearSamples() noexcept;

    const SimulatorConfig &m_config;
    const core::DieGrid m_grid;
    const runtime::TimePoint m_powerOn;
    // Never null. Replaced (never modified) by injectFault(), under m_mutex as well as its own
    // mutex; a device sample reads it under m_mutex, so no sample of the old timeline outlives the
    // injection in a cache. Not std::atomic<std::shared_ptr>: GCC 12's load() releases its internal
    // lock with a relaxed store, a data race with the next store that ThreadSanitizer reports
    // (google/sanitizers#1558). A mutex held for one pointer copy costs the same as that spin lock.
    // Lock order: m_injectMutex, then m_mutex, then m_faultsMutex.
    mutable std::mutex m_faultsMutex;
    std::shared_ptr<const FaultTimeline> m_faults;
    std::atomic<bool> m_isScanning{false};

    std::mutex m_injectMutex; ///< lines up injectFault() calls, so none loses another's fault

    mutable std::mutex m_mutex;
    Move m_move;
    double m_setpointPercent;
    bool m_isVacuumOn = true;
    std::optional<StageState> m_stageSample;
    std::optional<IlluminationState> m_illuminationSample;
    std::optional<VacuumState> m_vacuumSample;
};

} // namespace waferscope::hardware::sim::detail
