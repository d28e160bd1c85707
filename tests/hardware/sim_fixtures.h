#pragma once

// Helpers shared by the simulator's tests: a small, quick machine, and ways to look at frames.

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <span>
#include <stdexcept>

#include <waferscope/hardware/sim/simulator_config.h>
#include <waferscope/runtime/sync_wait.h>
#include <waferscope/runtime/value_task.h>

namespace waferscope::testing {

/// A 200 mm wafer (212 dies) seen in 256 × 256 frames of 50 µm pixels: each frame still holds a
/// whole 10 × 12 mm die, and a scan renders in milliseconds.
inline hardware::sim::SimulatorConfig smallConfig()
{
    hardware::sim::SimulatorConfig config;
    config.wafer.diameterMm = 200.0;
    config.image.width = 256;
    config.image.height = 256;
    config.image.pixelSizeUm = 50.0;
    return config;
}

inline std::uint64_t hashBytes(std::span<const std::byte> bytes)
{
    std::uint64_t hash = 0xcbf29ce484222325ULL;
    for (const std::byte b : bytes) {
        hash ^= static_cast<std::uint8_t>(b);
        hash *= 0x100000001b3ULL;
    }
    return hash;
}

inline double meanOf(std::span<const std::byte> bytes)
{
    double sum = 0.0;
    for (const std::byte b : bytes) {
        sum += static_cast<double>(static_cast<std::uint8_t>(b));
    }
    return sum / static_cast<double>(bytes.size());
}

/// The result of a task that must already have completed (a poll); throws if it has not.
template<typename T>
T ready(runtime::ValueTask<T> &&task)
{
    if (!task.isCompleted()) {
        throw std::logic_error("the task has not completed synchronously");
    }
    return runtime::syncWait(std::move(task));
}

} // namespace waferscope::testing
