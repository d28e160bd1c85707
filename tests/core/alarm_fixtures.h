#pragma once

// Shared by the alarm tests: readable failure messages for the alarm enums, a fixed time origin so
// no test reads a clock, a technician to give commands, and a definition builder.

#include <QTest>

#include <chrono>
#include <cstring>
#include <string>
#include <vector>

#include <waferscope/core/alarms/alarm_actor.h>
#include <waferscope/core/alarms/alarm_definition.h>
#include <waferscope/core/alarms/alarm_event.h>
#include <waferscope/core/alarms/alarm_event_kind.h>
#include <waferscope/core/alarms/alarm_priority.h>
#include <waferscope/core/alarms/alarm_state.h>
#include <waferscope/core/alarms/alarm_time.h>

namespace waferscope::core {

// QTest finds these by argument-dependent lookup and prints the names when a comparison fails.
inline char *toString(AlarmState state)
{
    return qstrdup(std::string(toText(state)).c_str());
}
inline char *toString(AlarmEventKind kind)
{
    return qstrdup(std::string(toText(kind)).c_str());
}
inline char *toString(AlarmPriority priority)
{
    return qstrdup(std::string(toText(priority)).c_str());
}

} // namespace waferscope::core

namespace waferscope::testing::alarms {

using namespace std::chrono_literals;
using core::AlarmTime;

/// An arbitrary origin, far from both the clock's epoch and the present.
inline const AlarmTime kOrigin = AlarmTime{} + std::chrono::hours(1000);

/// The moment `offset` after kOrigin.
[[nodiscard]] inline AlarmTime at(std::chrono::milliseconds offset)
{
    return kOrigin + offset;
}

inline const core::AlarmActor kTechnician{"alice", "technician"};
inline const core::AlarmActor kEngineer{"bob", "engineer"};

/// A definition with no delays, no chatter filter and the default maximum shelve duration.
[[nodiscard]] inline core::AlarmDefinition definition(std::string tag,
                                                      core::AlarmPriority priority = core::AlarmPriority::Medium)
{
    core::AlarmDefinition d;
    d.source = tag.substr(0, tag.find('.'));
    d.message = "condition " + tag;
    d.tag = std::move(tag);
    d.priority = priority;
    return d;
}

[[nodiscard]] inline std::vector<core::AlarmEventKind> kinds(const std::vector<core::AlarmEvent> &events)
{
    std::vector<core::AlarmEventKind> result;
    result.reserve(events.size());
    for (const core::AlarmEvent &event : events) {
        result.push_back(event.kind);
    }
    return result;
}

} // namespace waferscope::testing::alarms
