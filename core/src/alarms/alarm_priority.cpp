#include <waferscope/core/alarms/alarm_priority.h>

namespace waferscope::core {

std::string_view toText(AlarmPriority priority) noexcept
{
    switch (priority) {
    case AlarmPriority::Critical:
        return "critical";
    case AlarmPriority::High:
        return "high";
    case AlarmPriority::Medium:
        return "medium";
    case AlarmPriority::Low:
        return "low";
    }
    return "medium";
}

std::optional<AlarmPriority> parseAlarmPriority(std::string_view name) noexcept
{
    for (const AlarmPriority priority : kAllAlarmPriorities) {
        if (toText(priority) == name) {
            return priority;
        }
    }
    return std::nullopt;
}

} // namespace waferscope::core
