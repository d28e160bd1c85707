#pragma once

/// startInterlock: why a run may not start now, from the alarms' states — every alarm whose
/// definition blocksStart and that is still unacknowledged (active or returned to normal), named
/// with its priority. Acknowledging (a technician's permission) releases it; shelving does not.
/// Threads: a function. Allocates: the text.

#include <span>
#include <string>

#include <waferscope/core/alarms/alarm_status.h>

namespace waferscope::core {

/// Empty when nothing blocks a start; else one sentence naming each blocking alarm.
[[nodiscard]] std::string startInterlock(std::span<const AlarmStatus> alarms);

} // namespace waferscope::core
