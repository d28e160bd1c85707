#pragma once

/// AlarmEventKind: what happened in an AlarmEvent — the condition activating or returning, a
/// command someone gave, a shelve running out, chattering or a flood beginning or ending.
/// Names: toText() gives a stable lower-case name ("shelve-expired"), the one logs and persistence
/// use, and parseAlarmEventKind() reads it back; an unknown name gives nullopt.
/// Threads: a value. Allocates: nothing.

#include <cstdint>
#include <optional>
#include <string_view>

namespace waferscope::core {

enum class AlarmEventKind : std::uint8_t {
    Activated,          ///< the condition stayed active for the on-delay
    ReturnedToNormal,   ///< the condition stayed inactive for the off-delay (and any chattering ended)
    Acknowledged,       ///< a person acknowledged the alarm
    Reset,              ///< a person reset a latched, acknowledged alarm
    Shelved,            ///< a person shelved the alarm
    Unshelved,          ///< a person unshelved the alarm
    ShelveExpired,      ///< the shelve duration ran out
    Suppressed,         ///< logic suppressed the alarm
    Unsuppressed,       ///< logic lifted the suppression
    RemovedFromService, ///< a person took the alarm out of service
    ReturnedToService,  ///< a person put the alarm back in service
    ChatteringBegan,    ///< the alarm activated more than its chatter count within its chatter window
    ChatteringEnded,    ///< the alarm stayed quiet for its chatter window
    FloodBegan,         ///< the whole model entered flood
    FloodEnded,         ///< the whole model left flood
};

inline constexpr AlarmEventKind kAllAlarmEventKinds[] = {
    AlarmEventKind::Activated,        AlarmEventKind::ReturnedToNormal,   AlarmEventKind::Acknowledged,
    AlarmEventKind::Reset,            AlarmEventKind::Shelved,            AlarmEventKind::Unshelved,
    AlarmEventKind::ShelveExpired,    AlarmEventKind::Suppressed,         AlarmEventKind::Unsuppressed,
    AlarmEventKind::RemovedFromService, AlarmEventKind::ReturnedToService, AlarmEventKind::ChatteringBegan,
    AlarmEventKind::ChatteringEnded,  AlarmEventKind::FloodBegan,         AlarmEventKind::FloodEnded,
};

[[nodiscard]] std::string_view toText(AlarmEventKind kind) noexcept;
[[nodiscard]] std::optional<AlarmEventKind> parseAlarmEventKind(std::string_view name) noexcept;

} // namespace waferscope::core
