#pragma once

/// GemOptions: how the equipment side of the host link is set up — where it listens (loopback
/// unless told otherwise; HSMS has no authentication), the control state it starts in, the
/// recipe folder a host's PPIDs name files in, the HSMS timers, and how often alarms are looked at.
/// Threads: a value. Allocates: its strings.

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <string>

#include <waferscope/pipelines/gem/gem_control_state.h>
#include <waferscope/pipelines/gem/hsms_options.h>

namespace waferscope::pipelines::gem {

struct GemOptions {
    std::string address = "127.0.0.1";
    std::uint16_t port = 5000; ///< 0: any free port (port() tells which)
    GemControlState initialControl = GemControlState::OnlineLocal;
    std::filesystem::path recipeFolder;
    HsmsOptions hsms;
    std::chrono::milliseconds alarmPoll{100};
    std::string modelName = "WAFERSCOPE";   ///< MDLN, at most 20 characters
    std::string softwareRevision = "0.1.0"; ///< SOFTREV, at most 20 characters
};

} // namespace waferscope::pipelines::gem
