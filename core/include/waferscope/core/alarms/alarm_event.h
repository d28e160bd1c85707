#pragma once

/// AlarmEvent: one change in the alarm model, as persistence stores it and the UI replays it.
/// Sequence: the model numbers its events 1, 2, 3, … in the order it makes them, so a consumer sees
/// a lost event as a gap.
/// States: `from` and `to` are the states shown before and after; `trackedFrom` and `trackedTo` the
/// tracked states underneath, which differ from the shown ones while the alarm is shelved,
/// suppressed or out of service.
/// Run: `runId` is the run the alarm activated in, carried by every event of that activation until
/// the alarm is back to normal; an event of a normal alarm carries no run.
/// Audit: a command a person gave names them in `actor`, with their comment or reason in `comment`.
/// Flood: FloodBegan and FloodEnded concern the whole model, so their tag is empty and their
/// states Normal; FloodBegan carries the run of the activation that began the flood.
/// Threads: a value. Allocates: its strings.

#include <cstdint>
#include <optional>
#include <string>

#include <waferscope/core/alarms/alarm_actor.h>
#include <waferscope/core/alarms/alarm_event_kind.h>
#include <waferscope/core/alarms/alarm_priority.h>
#include <waferscope/core/alarms/alarm_state.h>
#include <waferscope/core/alarms/alarm_time.h>
#include <waferscope/core/run_id.h>

namespace waferscope::core {

struct AlarmEvent {
    std::uint64_t sequence = 0;
    AlarmEventKind kind = AlarmEventKind::Activated;
    std::string tag;
    AlarmPriority priority = AlarmPriority::Medium;
    AlarmState from = AlarmState::Normal;
    AlarmState to = AlarmState::Normal;
    AlarmState trackedFrom = AlarmState::Normal;
    AlarmState trackedTo = AlarmState::Normal;
    AlarmTime at{};
    RunId runId;
    std::optional<AlarmActor> actor;
    std::string comment;
    /// Set on Shelved: when the shelve runs out.
    std::optional<AlarmTime> shelvedUntil;

    friend bool operator==(const AlarmEvent &, const AlarmEvent &) = default;
};

} // namespace waferscope::core
