#pragma once

/// SimulatedMachine: the default machine — camera, stage, lamp, vacuum chuck and controller that
/// behave like the real ones, faults included, imaging wafers whose every defect it knows.
/// Time: every device reads the current executor's clock — a test's ManualExecutor runs the whole
/// machine on fake time — or the steady clock on a thread without one. Power-on is construction;
/// the fault timeline counts from it, and each fault shows in the device states exactly while it
/// is active.
/// Pacing: Realtime frames come at the configured frame rate, with stage moves between dies, by
/// sleeping on the current executor; Unpaced frames come as fast as the pipeline takes them.
/// Ground truth: truth(waferId) is exactly what the camera draws for that wafer.
/// Threads: as the device interfaces say; device state is guarded by one mutex, held only to
/// compute a few numbers. Destroy the machine only when no acquire() or moveTo() is in flight.
/// Allocates: at construction (die template, noise table) and at each scan's start (the wafer's
/// plan); polls and frames allocate nothing.

#include <memory>
#include <string_view>

#include <waferscope/core/wafer_id.h>
#include <waferscope/hardware/machine.h>
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

private:
    struct Parts;
    std::unique_ptr<Parts> m_parts;
};

} // namespace waferscope::hardware::sim
