#pragma once

/// GemOptions: how the equipment side of the host link is set up — where it listens (loopback
/// unless told otherwise; HSMS has no authentication), the control state it starts in, the
/// recipe folder a host's PPIDs name files in, the file its equipment constants are kept in, the
/// HSMS limits, and how often alarms are looked at.
/// Timers: T3, T6, T7, T8 and the linktest interval are equipment constants (EquipmentConstants,
/// kept in stateFile); `hsms` gives the device id and the message size limit, and its timers only
/// until the constants are read.
/// Threads: a value. Allocates: its strings.

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>

#include <waferscope/pipelines/gem/gem_control_state.h>
#include <waferscope/pipelines/gem/hsms_options.h>

namespace waferscope::pipelines::gem {

struct GemOptions {
    std::string address = "127.0.0.1";
    std::uint16_t port = 5000; ///< 0: any free port (port() tells which)
    /// Sets the InitControlState constant (and its substate) at start-up, kept for the next start;
    /// none: the constant's value decides (on-line local by default).
    std::optional<GemControlState> initialControl;
    std::filesystem::path recipeFolder;
    /// Where the equipment constants and the spooled streams are kept (GemStateFile); empty: not
    /// kept, every start has the defaults.
    std::filesystem::path stateFile;
    HsmsOptions hsms;
    std::chrono::milliseconds alarmPoll{100};
    std::string modelName = "WAFERSCOPE";   ///< MDLN, at most 20 characters
    std::string softwareRevision = "0.1.0"; ///< SOFTREV, at most 20 characters
};

} // namespace waferscope::pipelines::gem
