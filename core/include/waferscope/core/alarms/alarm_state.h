#pragma once

/// AlarmState: where an alarm stands in the ISA-18.2 / IEC 62682 alarm life cycle.
/// Tracked states: Normal, Unacknowledged, Acknowledged, ReturnedUnacknowledged and Latched are
/// the states an alarm passes through by itself; isTracked() tells them apart. Shelved, Suppressed
/// and OutOfService hide an alarm from annunciation while its tracked state goes on underneath.
/// AlarmModel's header draws the transitions.
/// Active: isActive() holds for the two states whose condition is active (Unacknowledged and
/// Acknowledged).
/// Names: toText() gives a stable lower-case name ("returned-unacknowledged"), the one logs and
/// persistence use, and parseAlarmState() reads it back; an unknown name gives nullopt.
/// Threads: a value. Allocates: nothing.

#include <cstdint>
#include <optional>
#include <string_view>

namespace waferscope::core {

enum class AlarmState : std::uint8_t {
    Normal,                 ///< NORM: condition normal, nothing to acknowledge
    Unacknowledged,         ///< UNACK: condition active, not yet acknowledged
    Acknowledged,           ///< ACKED: condition active, acknowledged
    ReturnedUnacknowledged, ///< RTNUN: condition back to normal before anyone acknowledged it
    Latched,                ///< LATCH: a latching alarm back to normal, waiting to be acknowledged and reset
    Shelved,                ///< SHLVD: hidden by an operator for a limited time
    Suppressed,             ///< DSUPR: hidden by design, e.g. stage alarms while the machine is in maintenance
    OutOfService,           ///< OOS: taken out of service, e.g. while its sensor is repaired
};

inline constexpr AlarmState kAllAlarmStates[] = {
    AlarmState::Normal,  AlarmState::Unacknowledged, AlarmState::Acknowledged, AlarmState::ReturnedUnacknowledged,
    AlarmState::Latched, AlarmState::Shelved,        AlarmState::Suppressed,   AlarmState::OutOfService,
};

[[nodiscard]] constexpr bool isTracked(AlarmState state) noexcept
{
    return state != AlarmState::Shelved && state != AlarmState::Suppressed && state != AlarmState::OutOfService;
}

[[nodiscard]] constexpr bool isActive(AlarmState state) noexcept
{
    return state == AlarmState::Unacknowledged || state == AlarmState::Acknowledged;
}

[[nodiscard]] std::string_view toText(AlarmState state) noexcept;
[[nodiscard]] std::optional<AlarmState> parseAlarmState(std::string_view name) noexcept;

} // namespace waferscope::core
