#include <waferscope/core/alarms/start_interlock.h>

#include <waferscope/core/alarms/alarm_priority.h>

namespace waferscope::core {

std::string startInterlock(std::span<const AlarmStatus> alarms)
{
    std::string blocking;
    std::size_t count = 0;
    for (const AlarmStatus &alarm : alarms) {
        if (!alarm.definition.blocksStart || !alarm.isUnacknowledged) {
            continue;
        }
        blocking += (count++ == 0 ? "" : ", ") + alarm.definition.tag + " (" +
                    std::string(toText(alarm.definition.priority)) + ")";
    }
    if (count == 0) {
        return {};
    }
    return (count == 1 ? "alarm " : "alarms ") + blocking + (count == 1 ? " is" : " are") +
           " not acknowledged: a technician must acknowledge " + (count == 1 ? "it" : "them") +
           " before a run starts";
}

} // namespace waferscope::core
