#pragma once

/// RunState: where an inspection run stands. A run starts Idle, checks the machine (Checking), scans
/// (Running), may be held (Paused), and ends Completed, Aborted or Failed; the three ends are final.
/// Names: toText() gives a stable lower-case name ("running") for logs, audit and the UI.
/// Threads: a value. Allocates: nothing.

#include <cstdint>
#include <string_view>

namespace waferscope::core {

enum class RunState : std::uint8_t {
    Idle,      ///< nothing started yet
    Checking,  ///< vacuum, heartbeat and illumination are being checked before a wafer is scanned
    Running,   ///< a wafer is being scanned
    Paused,    ///< held by an operator or a fault; resume continues the same wafer
    Completed, ///< every wafer of the lot was scanned
    Aborted,   ///< ended early on purpose (an operator, or a fault whose action is abort)
    Failed,    ///< ended because the machine could not go on (checks failed, a device failed)
};

[[nodiscard]] std::string_view toText(RunState state) noexcept;
/// Completed, Aborted and Failed: a run in one of them accepts no command.
[[nodiscard]] constexpr bool isFinal(RunState state) noexcept
{
    return state == RunState::Completed || state == RunState::Aborted || state == RunState::Failed;
}

} // namespace waferscope::core
