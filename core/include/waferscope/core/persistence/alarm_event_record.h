#pragma once

/// AlarmEventRecord: an AlarmEvent as the store keeps it, with the wall-clock time it happened.
/// Time: the event's own `at` is a steady_clock time that means nothing once the program ends, so
/// the writer adds `occurredAt` from the system clock; the store keeps both and gives both back
/// unchanged.
/// Threads: a value. Allocates: its strings.

#include <chrono>

#include <waferscope/core/alarms/alarm_event.h>

namespace waferscope::core {

struct AlarmEventRecord {
    using Time = std::chrono::system_clock::time_point;

    AlarmEvent event;
    Time occurredAt;

    friend bool operator==(const AlarmEventRecord &, const AlarmEventRecord &) = default;
};

} // namespace waferscope::core
