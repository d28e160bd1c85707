#pragma once

/// GemStatus: what the operator sees of the host link — the HSMS link state, whether GEM
/// communications are established (S1F13), the control state, the host's address, where the
/// equipment listens, the latest terminal message the host sent (S10F3), and what became of the
/// host's latest process program download (S7F3).
/// Threads: a value. Allocates: its strings.

#include <cstdint>
#include <string>

#include <waferscope/pipelines/gem/gem_control_state.h>
#include <waferscope/pipelines/gem/hsms_link_state.h>

namespace waferscope::pipelines::gem {

struct GemStatus {
    HsmsLinkState link = HsmsLinkState::Off;
    bool isCommunicating = false;
    GemControlState control = GemControlState::EquipmentOffline;
    std::string host;    ///< "address:port" of the selected host; empty when none
    std::string address; ///< where the equipment listens
    std::uint16_t port = 0;
    std::string terminalMessage;
    /// "PPID x.json stored", or "PPID x.json refused (ACKC7 n): why"; empty before the first S7F3.
    std::string lastDownload;

    friend bool operator==(const GemStatus &, const GemStatus &) = default;
};

} // namespace waferscope::pipelines::gem
