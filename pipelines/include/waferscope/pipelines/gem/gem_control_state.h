#pragma once

/// GemControlState: the GEM control state model (SEMI E30 §4.2), with E30's ControlState values:
/// equipment off-line (1), attempt on-line (2), host off-line (3), on-line local (4), on-line
/// remote (5). Off-line, the equipment answers only S1F13 and S1F17; on-line local the host may
/// watch but not command; on-line remote it may also send remote commands.
/// Names: toText() gives "host-offline", "local", …; parseGemControlState() reads the three an
/// operator may start in (host-offline, local, remote) and equipment-offline.
/// Threads: a value. Allocates: nothing.

#include <cstdint>
#include <optional>
#include <string_view>

namespace waferscope::pipelines::gem {

enum class GemControlState : std::uint8_t {
    EquipmentOffline = 1,
    AttemptOnline = 2,
    HostOffline = 3,
    OnlineLocal = 4,
    OnlineRemote = 5,
};

[[nodiscard]] constexpr bool isOnline(GemControlState state) noexcept
{
    return state == GemControlState::OnlineLocal || state == GemControlState::OnlineRemote;
}
[[nodiscard]] std::string_view toText(GemControlState state) noexcept;
[[nodiscard]] std::optional<GemControlState> parseGemControlState(std::string_view text) noexcept;

} // namespace waferscope::pipelines::gem
