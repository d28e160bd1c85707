#include <waferscope/core/alarms/alarm_event_kind.h>

namespace waferscope::core {

std::string_view toText(AlarmEventKind kind) noexcept
{
    switch (kind) {
    case AlarmEventKind::Activated:
        return "activated";
    case AlarmEventKind::ReturnedToNormal:
        return "returned-to-normal";
    case AlarmEventKind::Acknowledged:
        return "acknowledged";
    case AlarmEventKind::Reset:
        return "reset";
    case AlarmEventKind::Shelved:
        return "shelved";
    case AlarmEventKind::Unshelved:
        return "unshelved";
    case AlarmEventKind::ShelveExpired:
        return "shelve-expired";
    case AlarmEventKind::Suppressed:
        return "suppressed";
    case AlarmEventKind::Unsuppressed:
        return "unsuppressed";
    case AlarmEventKind::RemovedFromService:
        return "removed-from-service";
    case AlarmEventKind::ReturnedToService:
        return "returned-to-service";
    case AlarmEventKind::ChatteringBegan:
        return "chattering-began";
    case AlarmEventKind::ChatteringEnded:
        return "chattering-ended";
    case AlarmEventKind::FloodBegan:
        return "flood-began";
    case AlarmEventKind::FloodEnded:
        return "flood-ended";
    }
    return "activated";
}

std::optional<AlarmEventKind> parseAlarmEventKind(std::string_view name) noexcept
{
    for (const AlarmEventKind kind : kAllAlarmEventKinds) {
        if (toText(kind) == name) {
            return kind;
        }
    }
    return std::nullopt;
}

} // namespace waferscope::core
