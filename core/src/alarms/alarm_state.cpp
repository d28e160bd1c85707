#include <waferscope/core/alarms/alarm_state.h>

namespace waferscope::core {

std::string_view toText(AlarmState state) noexcept
{
    switch (state) {
    case AlarmState::Normal:
        return "normal";
    case AlarmState::Unacknowledged:
        return "unacknowledged";
    case AlarmState::Acknowledged:
        return "acknowledged";
    case AlarmState::ReturnedUnacknowledged:
        return "returned-unacknowledged";
    case AlarmState::Latched:
        return "latched";
    case AlarmState::Shelved:
        return "shelved";
    case AlarmState::Suppressed:
        return "suppressed";
    case AlarmState::OutOfService:
        return "out-of-service";
    }
    return "normal";
}

std::optional<AlarmState> parseAlarmState(std::string_view name) noexcept
{
    for (const AlarmState state : kAllAlarmStates) {
        if (toText(state) == name) {
            return state;
        }
    }
    return std::nullopt;
}

} // namespace waferscope::core
