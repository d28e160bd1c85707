#pragma once

/// EquipmentState: the machine's state in SEMI E10's terms, and a record of it as the store keeps
/// it: a telemetry sample of channel "equipment.state" whose value is the state's number (the
/// enumerator's value; stable, new states are only ever added at the end). Uptime is productive, standby and engineering time; downtime is scheduled down (maintenance
/// a technician announced) and unscheduled down (an alarm or a lost controller stops production).
/// Time with no state recorded — the console was not running — counts as non-scheduled (see
/// EquipmentTimes).
/// Names: toText() gives the stable name the store keeps ("unscheduled-down"); parse reads it back.
/// Threads: values. Allocates: nothing, but for the sample's channel name.

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <waferscope/core/persistence/telemetry_sample.h>

namespace waferscope::core {

enum class EquipmentState : std::uint8_t {
    Productive,      ///< scanning wafers
    Standby,         ///< ready, waiting for a lot
    Engineering,     ///< an engineer at the idle machine
    ScheduledDown,   ///< planned maintenance
    UnscheduledDown, ///< stopped by a fault: an alarm that stops production, a lost controller
};

inline constexpr EquipmentState kAllEquipmentStates[] = {EquipmentState::Productive, EquipmentState::Standby,
                                                         EquipmentState::Engineering, EquipmentState::ScheduledDown,
                                                         EquipmentState::UnscheduledDown};

[[nodiscard]] std::string_view toText(EquipmentState state) noexcept;
[[nodiscard]] std::optional<EquipmentState> parseEquipmentState(std::string_view name) noexcept;

/// Whether `state` is uptime in E10's sense (productive, standby, engineering).
[[nodiscard]] constexpr bool isUptime(EquipmentState state) noexcept
{
    return state == EquipmentState::Productive || state == EquipmentState::Standby ||
           state == EquipmentState::Engineering;
}

struct EquipmentStateChange {
    using Time = std::chrono::system_clock::time_point;

    EquipmentState state = EquipmentState::Standby;
    /// When the machine entered the state — or, for a record that repeats the current state to
    /// show the console is still running, when that was seen.
    Time at;

    friend bool operator==(const EquipmentStateChange &, const EquipmentStateChange &) = default;
};

inline constexpr std::string_view kEquipmentStateChannel = "equipment.state";

/// The record as a telemetry sample (of no run).
[[nodiscard]] TelemetrySample toSample(const EquipmentStateChange &change);
/// The record a sample of kEquipmentStateChannel holds; nullopt for another channel or a value that
/// names no state.
[[nodiscard]] std::optional<EquipmentStateChange> equipmentStateOf(const TelemetrySample &sample) noexcept;

} // namespace waferscope::core
