#pragma once

/// AlarmStatus: a snapshot of one alarm — its definition, the state shown and the state tracked
/// underneath, the filters' view of its condition, and who last acknowledged, shelved or removed it.
/// Snapshot: a copy; it does not change when the model changes afterwards.
/// Annunciated: isAnnunciated() holds when the alarm is shown to the operator as anything but
/// normal, i.e. its tracked state is not Normal and it is not shelved, suppressed or out of service.
/// Threads: a value. Allocates: its strings.

#include <optional>
#include <string>

#include <waferscope/core/alarms/alarm_audit.h>
#include <waferscope/core/alarms/alarm_definition.h>
#include <waferscope/core/alarms/alarm_state.h>
#include <waferscope/core/alarms/alarm_time.h>
#include <waferscope/core/run_id.h>

namespace waferscope::core {

struct AlarmStatus {
    AlarmDefinition definition;
    AlarmState state = AlarmState::Normal;
    AlarmState trackedState = AlarmState::Normal;
    /// Unacknowledged, ReturnedUnacknowledged, or Latched and not yet acknowledged.
    bool isUnacknowledged = false;
    /// The condition as last reported, before the delays.
    bool isConditionActive = false;
    bool isChattering = false;
    /// When the alarm last activated and in which run; nullopt and no run while tracked Normal.
    std::optional<AlarmTime> activatedAt;
    RunId runId;
    /// The latest acknowledgement since the alarm last activated.
    std::optional<AlarmAudit> acknowledgement;
    /// While shelved: who shelved it, when, why, and until when.
    std::optional<AlarmAudit> shelve;
    std::optional<AlarmTime> shelvedUntil;
    /// While suppressed: since when and why.
    std::optional<AlarmTime> suppressedSince;
    std::string suppressionReason;
    /// While out of service: who removed it, when and why.
    std::optional<AlarmAudit> outOfService;

    [[nodiscard]] bool isShelved() const noexcept { return shelve.has_value(); }
    [[nodiscard]] bool isSuppressed() const noexcept { return suppressedSince.has_value(); }
    [[nodiscard]] bool isOutOfService() const noexcept { return outOfService.has_value(); }
    [[nodiscard]] bool isAnnunciated() const noexcept
    {
        return trackedState != AlarmState::Normal && !isShelved() && !isSuppressed() && !isOutOfService();
    }

    friend bool operator==(const AlarmStatus &, const AlarmStatus &) = default;
};

} // namespace waferscope::core
