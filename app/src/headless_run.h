#pragma once

// The headless mode: runs one lot on the simulated machine without a window, with a progress bar on
// the terminal and a JSON summary on stdout.

#include <QCoroTask>

#include "command_line.h"

namespace waferscope::app {

/// Runs the lot `options` describe; the result is the process exit code: 0 only for a completed
/// run, 1 for a run that ended otherwise, 2 for options or a recipe that cannot be used.
[[nodiscard]] QCoro::Task<int> runHeadless(CommandLine options);

} // namespace waferscope::app
