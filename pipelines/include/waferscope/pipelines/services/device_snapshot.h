#pragma once

/// DeviceSnapshot: the latest polled state of every device — stage, lamp, vacuum chuck, camera and
/// machine controller (heartbeat and machine state) — with when it was polled and how many polls
/// came before it.
/// Empty: until the first poll hasData() is false and the device states are defaults that mean
/// nothing (a zero pressure there is not a vacuum drop).
/// Threads: a value. Allocates: nothing.

#include <cstdint>

#include <waferscope/hardware/camera_state.h>
#include <waferscope/hardware/heartbeat.h>
#include <waferscope/hardware/illumination_state.h>
#include <waferscope/hardware/machine_state.h>
#include <waferscope/hardware/stage_state.h>
#include <waferscope/hardware/vacuum_state.h>
#include <waferscope/runtime/executor.h>

namespace waferscope::pipelines {

struct DeviceSnapshot {
    hardware::StageState stage;
    hardware::IlluminationState illumination;
    hardware::VacuumState vacuum;
    hardware::CameraState camera;
    hardware::Heartbeat heartbeat;
    hardware::MachineState machineState = hardware::MachineState::Idle;
    runtime::TimePoint polledAt{}; ///< on the poller's executor clock
    std::uint64_t pollCount = 0;   ///< polls so far, this one included

    [[nodiscard]] bool hasData() const noexcept { return pollCount > 0; }
};

} // namespace waferscope::pipelines
