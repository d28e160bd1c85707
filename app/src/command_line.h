#pragma once

// Options of the waferscope program, parsed from its command line.

#include <QStringList>

#include <cstdint>
#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include <waferscope/pipelines/persistence/damaged_database_policy.h>

namespace waferscope::app {

struct CommandLine {
    bool isHeadless = false;
    std::filesystem::path recipeFile;       ///< empty: the default recipe
    std::string lotId = "LOT-DEMO";
    int wafers = 1;
    std::filesystem::path outputFolder;     ///< data folder: database, crops, KLARF files
    std::optional<std::uint64_t> seed;
    std::vector<std::string> faults;        ///< extra simulator fault specs
    bool isUnpaced = false;                 ///< the simulator delivers frames as fast as taken
    std::string logLevel = "info";
    std::filesystem::path recipeFolder;     ///< the console's recipe picker lists its *.json files
    /// The SECS/GEM host link (docs/gem.md): off unless a port is given; 0 picks a free port.
    std::optional<std::uint16_t> gemPort;
    std::string gemAddress = "127.0.0.1";
    /// host-offline, local or remote: sets the InitControlState equipment constant, which is kept;
    /// none: the kept constant decides (local until set).
    std::optional<std::string> gemInitialControl;
    std::string camera;                     ///< empty: the simulator's camera; "gige:ADDRESS": a GigE Vision camera
    std::optional<int> cameraPacketSize;    ///< GVSP packet size for --camera, bytes
    pipelines::DamagedDatabasePolicy onDamagedDatabase = pipelines::DamagedDatabasePolicy::Replace;
    /// --headless: how long a run paused by an alarm waits for someone to resume it (a GEM host)
    /// before it is aborted with the reason; a run paused for failing storage resumes by itself.
    std::chrono::seconds pausedLimit{300};
};

/// The process exit codes (the README's Headless mode section lists them too).
namespace exit_code {
inline constexpr int kCompleted = 0;       ///< the run completed and its ledger balances
inline constexpr int kNotCompleted = 1;    ///< aborted, failed, or a ledger that does not balance
inline constexpr int kBadOptions = 2;      ///< options or a recipe that cannot be used
inline constexpr int kRunRefused = 3;      ///< the storage was not ready: no run was made
inline constexpr int kDamagedDatabase = 4; ///< a damaged database with --on-damaged-database refuse
inline constexpr int kStoppedBySignal = 128; ///< + the signal's number: the run was aborted cleanly
} // namespace exit_code

/// Parses `arguments` (argv as Qt gives it). Prints help or version and exits for --help/--version;
/// throws std::invalid_argument naming the option and what is wrong.
[[nodiscard]] CommandLine parseCommandLine(const QStringList &arguments);

/// Where data goes when --out is not given: $XDG_DATA_HOME/waferscope (~/.local/share/waferscope).
[[nodiscard]] std::filesystem::path defaultDataFolder();

} // namespace waferscope::app
