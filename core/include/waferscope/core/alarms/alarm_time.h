#pragma once

/// AlarmTime: a moment as the alarm model sees it — a steady_clock time point, so a change of the
/// wall clock never fires a delay early or late. The model is handed every time point it uses and
/// never reads a clock itself, so tests and replays drive it by hand.
/// Threads: a value. Allocates: nothing.

#include <chrono>

namespace waferscope::core {

using AlarmTime = std::chrono::steady_clock::time_point;

} // namespace waferscope::core
