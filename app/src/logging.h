#pragma once

// Logging for the whole program: to the console (stderr) and to a rotating file in the data folder.
// Every line about a run names the run ("run-…"): there is no per-thread context.

#include <filesystem>
#include <string>

namespace waferscope::app {

/// Sets up the default logger: the file gets `level`, the console at least `consoleLevel` (the
/// headless mode keeps its terminal for the progress bar and shows only warnings there).
/// Throws std::invalid_argument for an unknown level.
void setUpLogging(const std::filesystem::path &dataFolder, const std::string &level,
                  const std::string &consoleLevel = "trace");

} // namespace waferscope::app
