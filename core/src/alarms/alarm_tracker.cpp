#include "alarm_tracker.h"

#include <algorithm>
#include <cassert>
#include <chrono>
#include <utility>

#include <waferscope/core/alarms/alarm_command_error.h>

namespace waferscope::core::detail {

namespace {

/// "2 h", "90 min", "30 s", "250 ms": the largest unit that states `duration` exactly.
std::string describe(std::chrono::milliseconds duration)
{
    using namespace std::chrono;
    const auto count = duration.count();
    if (count != 0 && count % duration_cast<milliseconds>(hours(1)).count() == 0) {
        return std::to_string(duration_cast<hours>(duration).count()) + " h";
    }
    if (count != 0 && count % duration_cast<milliseconds>(minutes(1)).count() == 0) {
        return std::to_string(duration_cast<minutes>(duration).count()) + " min";
    }
    if (count != 0 && count % 1000 == 0) {
        return std::to_string(duration_cast<seconds>(duration).count()) + " s";
    }
    return std::to_string(count) + " ms";
}

std::string_view shownName(AlarmState state)
{
    switch (state) {
    case AlarmState::Shelved:
        return "shelved";
    case AlarmState::Suppressed:
        return "suppressed";
    case AlarmState::OutOfService:
        return "out of service";
    default:
        return "shown";
    }
}

} // namespace

AlarmTracker::AlarmTracker(AlarmDefinition definition)
    : m_definition(std::move(definition))
{
}

AlarmStatus AlarmTracker::status() const
{
    AlarmStatus status;
    status.definition = m_definition;
    status.state = shownState();
    status.trackedState = m_tracked;
    status.isUnacknowledged = m_tracked == AlarmState::Unacknowledged ||
                              m_tracked == AlarmState::ReturnedUnacknowledged ||
                              (m_tracked == AlarmState::Latched && !m_isLatchAcknowledged);
    status.isConditionActive = m_isConditionActive;
    status.isChattering = m_isChattering;
    status.activatedAt = m_activatedAt;
    status.runId = m_runId;
    status.acknowledgement = m_acknowledgement;
    status.shelve = m_shelve;
    if (m_shelve) {
        status.shelvedUntil = m_shelvedUntil;
    }
    status.suppressedSince = m_suppressedSince;
    status.suppressionReason = m_suppressionReason;
    status.outOfService = m_outOfService;
    return status;
}

AlarmState AlarmTracker::shownState() const noexcept
{
    if (m_outOfService) {
        return AlarmState::OutOfService;
    }
    if (m_suppressedSince) {
        return AlarmState::Suppressed;
    }
    if (m_shelve) {
        return AlarmState::Shelved;
    }
    return m_tracked;
}

bool AlarmTracker::isHidden() const noexcept
{
    return m_outOfService || m_suppressedSince || m_shelve;
}

std::optional<AlarmTime> AlarmTracker::nextDeadline() const noexcept
{
    std::optional<AlarmTime> earliest;
    const auto consider = [&earliest](AlarmTime candidate) {
        if (!earliest || candidate < *earliest) {
            earliest = candidate;
        }
    };
    if (m_isConditionActive && !m_isFilteredActive) {
        consider(m_conditionSince + m_definition.onDelay);
    }
    if (!m_isConditionActive && m_isFilteredActive) {
        consider(m_conditionSince + m_definition.offDelay);
    }
    if (m_isChattering) {
        consider(m_recentActivations.back() + m_definition.chatterWindow);
    }
    if (m_shelve) {
        consider(m_shelvedUntil);
    }
    return earliest;
}

bool AlarmTracker::advance(AlarmTime at, std::vector<AlarmEvent> &events)
{
    bool activatedWhileShown = false;
    if (m_isConditionActive && !m_isFilteredActive && m_conditionSince + m_definition.onDelay <= at) {
        m_isFilteredActive = true;
        activatedWhileShown = onFilteredRise(at, events);
    } else if (!m_isConditionActive && m_isFilteredActive && m_conditionSince + m_definition.offDelay <= at) {
        m_isFilteredActive = false;
        if (!m_isChattering) {
            returnToNormal(at, events);
        }
    }
    if (m_isChattering && m_recentActivations.back() + m_definition.chatterWindow <= at) {
        const Before was = before();
        m_isChattering = false;
        record(AlarmEventKind::ChatteringEnded, was, at, events);
        if (!m_isFilteredActive) {
            returnToNormal(at, events);
        }
    }
    if (m_shelve && m_shelvedUntil <= at) {
        const Before was = before();
        m_shelve.reset();
        record(AlarmEventKind::ShelveExpired, was, at, events);
    }
    return activatedWhileShown;
}

bool AlarmTracker::onFilteredRise(AlarmTime at, std::vector<AlarmEvent> &events)
{
    if (hasChatterFilter()) {
        while (!m_recentActivations.empty() && m_recentActivations.front() + m_definition.chatterWindow <= at) {
            m_recentActivations.pop_front();
        }
        m_recentActivations.push_back(at);
    }
    bool activatedWhileShown = false;
    if (!isActive(m_tracked)) {
        const Before was = before();
        m_tracked = AlarmState::Unacknowledged;
        m_isLatchAcknowledged = false;
        m_activatedAt = at;
        m_runId = m_conditionRun;
        m_acknowledgement.reset();
        record(AlarmEventKind::Activated, was, at, events);
        activatedWhileShown = !isHidden();
    } else {
        // Only a chattering alarm is still active when its filtered condition rises again.
        assert(m_isChattering);
    }
    if (hasChatterFilter() && !m_isChattering && m_recentActivations.size() > m_definition.chatterCount) {
        const Before was = before();
        m_isChattering = true;
        record(AlarmEventKind::ChatteringBegan, was, at, events);
    }
    return activatedWhileShown;
}

void AlarmTracker::returnToNormal(AlarmTime at, std::vector<AlarmEvent> &events)
{
    assert(isActive(m_tracked));
    const Before was = before();
    if (m_definition.isLatching) {
        m_isLatchAcknowledged = m_tracked == AlarmState::Acknowledged;
        m_tracked = AlarmState::Latched;
    } else {
        m_tracked = m_tracked == AlarmState::Acknowledged ? AlarmState::Normal : AlarmState::ReturnedUnacknowledged;
    }
    record(AlarmEventKind::ReturnedToNormal, was, at, events);
}

void AlarmTracker::reportCondition(bool isActive, RunId run, AlarmTime now)
{
    if (isActive) {
        m_conditionRun = run;
    }
    if (isActive != m_isConditionActive) {
        m_isConditionActive = isActive;
        m_conditionSince = now;
    }
}

void AlarmTracker::record(AlarmEventKind kind, Before was, AlarmTime at, std::vector<AlarmEvent> &events,
                          const AlarmActor *actor, std::string_view comment, std::optional<AlarmTime> shelvedUntil)
{
    AlarmEvent event;
    event.kind = kind;
    event.tag = m_definition.tag;
    event.priority = m_definition.priority;
    event.from = was.shown;
    event.to = shownState();
    event.trackedFrom = was.tracked;
    event.trackedTo = m_tracked;
    event.at = at;
    event.runId = m_runId;
    if (actor != nullptr) {
        event.actor = *actor;
    }
    event.comment = std::string(comment);
    event.shelvedUntil = shelvedUntil;
    events.push_back(std::move(event));
    if (m_tracked == AlarmState::Normal) {
        m_runId = RunId();
        m_activatedAt.reset();
    }
}

std::string AlarmTracker::hiddenReason(std::string_view verb) const
{
    return "it is " + std::string(shownName(shownState())) + ", so it is not shown; only a shown alarm can be " +
           std::string(verb);
}

void AlarmTracker::throwIfRefused(std::string_view command, const std::string &reason) const
{
    if (!reason.empty()) {
        throw AlarmCommandError(std::string(command), m_definition.tag, reason);
    }
}

std::string AlarmTracker::whyCannotAcknowledge() const
{
    if (isHidden()) {
        return hiddenReason("acknowledged");
    }
    switch (m_tracked) {
    case AlarmState::Normal:
        return "it is normal, so there is nothing to acknowledge";
    case AlarmState::Acknowledged:
        return "it is already acknowledged";
    case AlarmState::Latched:
        return m_isLatchAcknowledged ? "it is already acknowledged; reset it to clear the latch" : "";
    default:
        return {};
    }
}

void AlarmTracker::acknowledge(const AlarmActor &actor, std::string_view comment, AlarmTime now,
                               std::vector<AlarmEvent> &events)
{
    throwIfRefused("acknowledge", whyCannotAcknowledge());
    const Before was = before();
    switch (m_tracked) {
    case AlarmState::Unacknowledged:
        m_tracked = AlarmState::Acknowledged;
        break;
    case AlarmState::ReturnedUnacknowledged:
        m_tracked = AlarmState::Normal;
        break;
    case AlarmState::Latched:
        m_isLatchAcknowledged = true;
        break;
    default:
        assert(false && "whyCannotAcknowledge() admits only the three states above");
        break;
    }
    m_acknowledgement = AlarmAudit{actor, now, std::string(comment)};
    record(AlarmEventKind::Acknowledged, was, now, events, &actor, comment);
}

std::string AlarmTracker::whyCannotReset() const
{
    if (!m_definition.isLatching) {
        return "it does not latch, so there is nothing to reset";
    }
    if (isHidden()) {
        return hiddenReason("reset");
    }
    switch (m_tracked) {
    case AlarmState::Normal:
        return "it is not latched";
    case AlarmState::Unacknowledged:
    case AlarmState::Acknowledged:
        return "its condition is still active; it can be reset only after it returns to normal";
    case AlarmState::Latched:
        return m_isLatchAcknowledged ? "" : "it is not acknowledged yet; acknowledge it before resetting it";
    default:
        return "it is not latched";
    }
}

void AlarmTracker::reset(const AlarmActor &actor, std::string_view comment, AlarmTime now,
                         std::vector<AlarmEvent> &events)
{
    throwIfRefused("reset", whyCannotReset());
    const Before was = before();
    m_tracked = AlarmState::Normal;
    m_isLatchAcknowledged = false;
    record(AlarmEventKind::Reset, was, now, events, &actor, comment);
}

std::string AlarmTracker::whyCannotShelve(std::chrono::milliseconds duration, std::string_view reason) const
{
    if (m_shelve) {
        return "it is already shelved; unshelve it first";
    }
    if (m_definition.maxShelveDuration.count() == 0) {
        return "it may not be shelved";
    }
    if (duration.count() <= 0) {
        return "a shelve duration must be positive, not " + describe(duration);
    }
    if (duration > m_definition.maxShelveDuration) {
        return "shelving for " + describe(duration) + " exceeds its maximum shelve duration of " +
               describe(m_definition.maxShelveDuration);
    }
    if (reason.empty()) {
        return "shelving needs a reason";
    }
    return {};
}

void AlarmTracker::shelve(std::chrono::milliseconds duration, const AlarmActor &actor, std::string_view reason,
                          AlarmTime now, std::vector<AlarmEvent> &events)
{
    throwIfRefused("shelve", whyCannotShelve(duration, reason));
    const Before was = before();
    m_shelve = AlarmAudit{actor, now, std::string(reason)};
    m_shelvedUntil = now + duration;
    record(AlarmEventKind::Shelved, was, now, events, &actor, reason, m_shelvedUntil);
}

std::string AlarmTracker::whyCannotUnshelve() const
{
    return m_shelve ? "" : "it is not shelved";
}

void AlarmTracker::unshelve(const AlarmActor &actor, std::string_view comment, AlarmTime now,
                            std::vector<AlarmEvent> &events)
{
    throwIfRefused("unshelve", whyCannotUnshelve());
    const Before was = before();
    m_shelve.reset();
    record(AlarmEventKind::Unshelved, was, now, events, &actor, comment);
}

std::string AlarmTracker::whyCannotSuppress(std::string_view reason) const
{
    if (m_suppressedSince) {
        return "it is already suppressed (" + m_suppressionReason + ")";
    }
    if (reason.empty()) {
        return "suppressing needs a reason";
    }
    return {};
}

void AlarmTracker::suppress(std::string_view reason, AlarmTime now, std::vector<AlarmEvent> &events)
{
    throwIfRefused("suppress", whyCannotSuppress(reason));
    const Before was = before();
    m_suppressedSince = now;
    m_suppressionReason = std::string(reason);
    record(AlarmEventKind::Suppressed, was, now, events, nullptr, reason);
}

std::string AlarmTracker::whyCannotUnsuppress() const
{
    return m_suppressedSince ? "" : "it is not suppressed";
}

void AlarmTracker::unsuppress(AlarmTime now, std::vector<AlarmEvent> &events)
{
    throwIfRefused("unsuppress", whyCannotUnsuppress());
    const Before was = before();
    m_suppressedSince.reset();
    m_suppressionReason.clear();
    record(AlarmEventKind::Unsuppressed, was, now, events);
}

std::string AlarmTracker::whyCannotRemoveFromService(std::string_view reason) const
{
    if (m_outOfService) {
        return "it is already out of service";
    }
    if (reason.empty()) {
        return "removing it from service needs a reason";
    }
    return {};
}

void AlarmTracker::removeFromService(const AlarmActor &actor, std::string_view reason, AlarmTime now,
                                     std::vector<AlarmEvent> &events)
{
    throwIfRefused("remove from service", whyCannotRemoveFromService(reason));
    const Before was = before();
    m_outOfService = AlarmAudit{actor, now, std::string(reason)};
    record(AlarmEventKind::RemovedFromService, was, now, events, &actor, reason);
}

std::string AlarmTracker::whyCannotReturnToService() const
{
    return m_outOfService ? "" : "it is not out of service";
}

void AlarmTracker::returnToService(const AlarmActor &actor, std::string_view comment, AlarmTime now,
                                   std::vector<AlarmEvent> &events)
{
    throwIfRefused("return to service", whyCannotReturnToService());
    const Before was = before();
    m_outOfService.reset();
    record(AlarmEventKind::ReturnedToService, was, now, events, &actor, comment);
}

} // namespace waferscope::core::detail
