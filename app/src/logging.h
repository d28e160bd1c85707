#pragma once

// Logging for the whole program: to the console (stderr) and to a rotating file in the data folder.
// Every line about a run names the run ("run-…"): there is no per-thread context.
// A log file that cannot be written (its disk full, its folder gone) never stops the program: the
// line still goes to the console, the failure is counted (logWriteFailures()), and the console is
// told once when the file stops taking lines and once when it takes them again. A log file that
// cannot even be opened leaves the console alone, with one warning saying so.

#include <cstdint>
#include <filesystem>
#include <string>

namespace waferscope::app {

/// Sets up the default logger: the file gets `level`, the console at least `consoleLevel` (the
/// headless mode keeps its terminal for the progress bar and shows only warnings there).
/// Throws std::invalid_argument for an unknown level.
void setUpLogging(const std::filesystem::path &dataFolder, const std::string &level,
                  const std::string &consoleLevel = "trace");

/// Log lines (or flushes) the file refused since the program started.
[[nodiscard]] std::uint64_t logWriteFailures() noexcept;

} // namespace waferscope::app
