#pragma once

/// SimulatedMachine: the default machine — camera, stage, lamp, vacuum chuck and controller that
/// behave like the real ones, faults included, imaging wafers whose every defect it knows.
/// Time: every device reads the current executor's clock — a test's ManualExecutor runs the whole
/// machine on fake time — or the steady clock on a thread without one. Power-on is construction;
/// the fault timeline counts from it, and each fault shows in the device states exactly while it
/// is active.
/// Faults: those of the config are on the timeline from power-on; injectFault() adds one at run
/// time, counted from now, and it merges with the others exactly as a configured one would. A
/// frame reads one timeline throughout: a fault injected while it is under way shows from the
/// next frame.
/// Pacing: Realtime frames come at the configured frame rate, with stage moves between dies, by
/// sleeping on the current executor; Unpaced frames come as fast as the pipeline takes them.
/// Ground truth: truth(waferId) is exactly what the camera draws for that wafer.
/// Threads: as the device interfaces say; device state is guarded by one mutex, held only to
/// compute a few numbers; injectFault() from any thread, while polls and frames run. Destroy the
/// machine only when no acquire() or moveTo() is in flight.
/// Allocates: at construction (die template, noise table), at each scan's start (the wafer's
/// plan) and in injectFault() (the new timeline); polls and frames allocate nothing, before or
/// after an injection.

#include <memory>
#include <string_view>

#include <waferscope/core/wafer_id.h>
#include <waferscope/hardware/machine.h>
#include <waferscope/hardware/sim/fault_spec.h>
#include <waferscope/hardware/sim/simulator_config.h>
#include <waferscope/hardware/sim/wafer_truth.h>
#include <waferscope/runtime/executor.h>

namespace waferscope::hardware::sim {

class SimulatedMachine final : public Machine
{
public:
    /// Validates `config` (core::ValidationError naming every wrong field) and powers on.
    explicit SimulatedMachine(SimulatorConfig config);
    ~SimulatedMachine() override;

    [[nodiscard]] std::string_view name() const noexcept override { return "simulator"; }
    [[nodiscard]] const core::DieGrid &dieGrid() const noexcept override;
    [[nodiscard]] Camera &camera() noexcept override;
    [[nodiscard]] Stage &stage() noexcept override;
    [[nodiscard]] Illumination &illumination() noexcept override;
    [[nodiscard]] VacuumChuck &vacuumChuck() noexcept override;
    [[nodiscard]] MachineController &controller() noexcept override;

    [[nodiscard]] const SimulatorConfig &config() const noexcept;
    [[nodiscard]] runtime::TimePoint powerOnTime() const noexcept;
    /// The ground truth of wafer `waferId`, as the camera draws it.
    [[nodiscard]] WaferTruth truth(const core::WaferId &waferId) const;

    /// Adds `fault` to the timeline with its start counted from now (the current executor's clock,
    /// as every device reads it) instead of power-on; returns the fault as placed (start counted
    /// from power-on). It shows in the device states from its start (on each device's sample grid,
    /// as a configured fault does) and is over exactly at its end. One exception to "as given": a
    /// heartbeat stop asked to start at once, at the very instant a beat falls due, is placed 1 ns
    /// later (and 1 ns shorter, so it ends on time), since that beat has been sent and may have
    /// been polled already.
    /// Throws FaultSpecError, naming the key and what is wrong, for a spec whose text form would
    /// not parse (the same rule the config's faults follow); the timeline is then unchanged.
    /// Any thread. config().faults keeps only the configured faults.
    FaultSpec injectFault(FaultSpec fault);

private:
    struct Parts;
    std::unique_ptr<Parts> m_parts;
};

} // namespace waferscope::hardware::sim
