#pragma once

// The headless mode: runs one lot on the simulated machine without a window, with a progress bar on
// the terminal and a JSON summary on stdout.

#include <QCoroTask>

#include "command_line.h"

namespace waferscope::app {

class StopSignals;

/// Runs the lot `options` describe; the result is the process exit code (exit_code::…): 0 only for
/// a completed run whose ledger balances, 1 for a run that ended otherwise, 2 for options or a
/// recipe that cannot be used, 3 for a run refused because the storage is not ready, 4 for a
/// damaged database with --on-damaged-database refuse, 128 + N when stop signal N aborted the run
/// (which still prints the summary). `stops` may be null.
[[nodiscard]] QCoro::Task<int> runHeadless(CommandLine options, StopSignals *stops = nullptr);

} // namespace waferscope::app
