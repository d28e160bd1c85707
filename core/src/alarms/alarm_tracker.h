#pragma once

// Private to core: AlarmModel's per-alarm building block.

#include <cstddef>
#include <deque>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <waferscope/core/alarms/alarm_actor.h>
#include <waferscope/core/alarms/alarm_audit.h>
#include <waferscope/core/alarms/alarm_definition.h>
#include <waferscope/core/alarms/alarm_event.h>
#include <waferscope/core/alarms/alarm_state.h>
#include <waferscope/core/alarms/alarm_status.h>
#include <waferscope/core/alarms/alarm_time.h>
#include <waferscope/core/run_id.h>

namespace waferscope::core::detail {

/// AlarmTracker: one alarm's delay and chatter filters, tracked state and overlays. It appends the
/// events of its own changes to the vector it is given; numbering them, ordering time across alarms
/// and counting floods are the model's.
/// Commands: each whyCannotX() gives the reason the command would be refused, or an empty string;
/// the command itself throws AlarmCommandError with that reason before changing anything.
class AlarmTracker
{
public:
    explicit AlarmTracker(AlarmDefinition definition);

    [[nodiscard]] const AlarmDefinition &definition() const noexcept { return m_definition; }
    [[nodiscard]] AlarmStatus status() const;
    [[nodiscard]] AlarmState shownState() const noexcept;
    [[nodiscard]] AlarmState trackedState() const noexcept { return m_tracked; }
    [[nodiscard]] bool isHidden() const noexcept;
    [[nodiscard]] std::optional<AlarmTime> activatedAt() const noexcept { return m_activatedAt; }
    [[nodiscard]] RunId runId() const noexcept { return m_runId; }

    /// The earliest moment something of this alarm falls due, or nullopt when nothing will without
    /// a new report or command.
    [[nodiscard]] std::optional<AlarmTime> nextDeadline() const noexcept;
    /// Makes every change due by `at`. Precondition: nothing fell due before `at` that is not done.
    /// Returns whether the alarm activated while shown, which is what a flood counts.
    bool advance(AlarmTime at, std::vector<AlarmEvent> &events);

    /// Records the raw condition; the model's next advance applies the delays.
    void reportCondition(bool isActive, RunId run, AlarmTime now);

    [[nodiscard]] std::string whyCannotAcknowledge() const;
    void acknowledge(const AlarmActor &actor, std::string_view comment, AlarmTime now,
                     std::vector<AlarmEvent> &events);
    [[nodiscard]] std::string whyCannotReset() const;
    void reset(const AlarmActor &actor, std::string_view comment, AlarmTime now, std::vector<AlarmEvent> &events);
    [[nodiscard]] std::string whyCannotShelve(std::chrono::milliseconds duration, std::string_view reason) const;
    void shelve(std::chrono::milliseconds duration, const AlarmActor &actor, std::string_view reason, AlarmTime now,
                std::vector<AlarmEvent> &events);
    [[nodiscard]] std::string whyCannotUnshelve() const;
    void unshelve(const AlarmActor &actor, std::string_view comment, AlarmTime now, std::vector<AlarmEvent> &events);
    [[nodiscard]] std::string whyCannotSuppress(std::string_view reason) const;
    void suppress(std::string_view reason, AlarmTime now, std::vector<AlarmEvent> &events);
    [[nodiscard]] std::string whyCannotUnsuppress() const;
    void unsuppress(AlarmTime now, std::vector<AlarmEvent> &events);
    [[nodiscard]] std::string whyCannotRemoveFromService(std::string_view reason) const;
    void removeFromService(const AlarmActor &actor, std::string_view reason, AlarmTime now,
                           std::vector<AlarmEvent> &events);
    [[nodiscard]] std::string whyCannotReturnToService() const;
    void returnToService(const AlarmActor &actor, std::string_view comment, AlarmTime now,
                         std::vector<AlarmEvent> &events);

private:
    struct Before {
        AlarmState shown;
        AlarmState tracked;
    };

    [[nodiscard]] Before before() const noexcept { return {shownState(), m_tracked}; }
    /// Appends the event of a change made since `was`; once the alarm is back to tracked Normal,
    /// forgets the run and activation time, so later events of the normal alarm carry no run.
    void record(AlarmEventKind kind, Before was, AlarmTime at, std::vector<AlarmEvent> &events,
                const AlarmActor *actor = nullptr, std::string_view comment = {},
                std::optional<AlarmTime> shelvedUntil = std::nullopt);
    /// Precondition: the filtered condition has just become active.
    bool onFilteredRise(AlarmTime at, std::vector<AlarmEvent> &events);
    /// Precondition: the alarm is active (Unacknowledged or Acknowledged).
    void returnToNormal(AlarmTime at, std::vector<AlarmEvent> &events);
    [[nodiscard]] bool hasChatterFilter() const noexcept { return m_definition.chatterCount > 0; }
    [[nodiscard]] std::string hiddenReason(std::string_view verb) const;
    void throwIfRefused(std::string_view command, const std::string &reason) const;

    AlarmDefinition m_definition;

    // The raw condition as last reported.
    bool m_isConditionActive = false;
    AlarmTime m_conditionSince{};
    RunId m_conditionRun; // from the latest report of the active condition

    // The condition after the on- and off-delays.
    bool m_isFilteredActive = false;
    // Filtered activations within the last chatter window, oldest first; its back is the latest.
    std::deque<AlarmTime> m_recentActivations;
    bool m_isChattering = false;

    // Tracked state: one of the five tracked AlarmStates; the ack flag is only read while Latched.
    AlarmState m_tracked = AlarmState::Normal;
    bool m_isLatchAcknowledged = false;
    std::optional<AlarmTime> m_activatedAt;
    RunId m_runId;
    std::optional<AlarmAudit> m_acknowledgement;

    // Overlays.
    std::optional<AlarmAudit> m_shelve;
    AlarmTime m_shelvedUntil{};
    std::optional<AlarmTime> m_suppressedSince;
    std::string m_suppressionReason;
    std::optional<AlarmAudit> m_outOfService;
};

} // namespace waferscope::core::detail
