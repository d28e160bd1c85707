#pragma once

/// AlarmAudit: the record of one command a person gave on an alarm — who, when, and the comment
/// or reason they gave with it.
/// Threads: a value. Allocates: its strings.

#include <string>

#include <waferscope/core/alarms/alarm_actor.h>
#include <waferscope/core/alarms/alarm_time.h>

namespace waferscope::core {

struct AlarmAudit {
    AlarmActor actor;
    AlarmTime at{};
    std::string comment;

    friend bool operator==(const AlarmAudit &, const AlarmAudit &) = default;
};

} // namespace waferscope::core
