#include <waferscope/core/alarms/alarm_model.h>

#include <algorithm>
#include <utility>

#include <waferscope/core/alarms/alarm_command_error.h>
#include <waferscope/core/validation_error.h>

#include "alarm_tracker.h"

namespace waferscope::core {

namespace {

constexpr std::size_t kFlood = static_cast<std::size_t>(-1);

/// Names a definition in the model's ValidationError: by its tag, or by its place when it has none.
std::string nameOf(const AlarmDefinition &definition, std::size_t index)
{
    return definition.tag.empty() ? "alarm #" + std::to_string(index + 1) : "alarm '" + definition.tag + "'";
}

void appendIssues(std::vector<ValidationError::Issue> &issues, const std::string &prefix, const ValidationError &error)
{
    for (const ValidationError::Issue &issue : error.issues()) {
        issues.push_back({prefix + " " + issue.field, issue.problem});
    }
}

void requireComplete(std::string_view command, std::string_view tag, const AlarmActor &actor)
{
    if (actor.userName.empty()) {
        throw AlarmCommandError(std::string(command), std::string(tag), "the command names no user");
    }
    if (actor.role.empty()) {
        throw AlarmCommandError(std::string(command), std::string(tag),
                                "the command names no role for user '" + actor.userName + "'");
    }
}

} // namespace

AlarmModel::AlarmModel(std::vector<AlarmDefinition> definitions, AlarmFloodPolicy floodPolicy)
    : m_floodPolicy(floodPolicy)
{
    std::vector<ValidationError::Issue> issues;
    for (std::size_t i = 0; i < definitions.size(); ++i) {
        try {
            definitions[i].validate();
        } catch (const ValidationError &error) {
            appendIssues(issues, nameOf(definitions[i], i), error);
        }
        const auto [it, isNew] = m_indexByTag.emplace(definitions[i].tag, i);
        if (!isNew && !definitions[i].tag.empty()) {
            issues.push_back({nameOf(definitions[i], i), "is defined twice, as alarm #" + std::to_string(it->second + 1) +
                                                             " and alarm #" + std::to_string(i + 1)});
        }
    }
    try {
        floodPolicy.validate();
    } catch (const ValidationError &error) {
        appendIssues(issues, "flood policy", error);
    }
    if (!issues.empty()) {
        throw ValidationError("alarm model", std::move(issues));
    }
    m_trackers.reserve(definitions.size());
    for (AlarmDefinition &definition : definitions) {
        m_trackers.emplace_back(std::move(definition));
    }
}

AlarmModel::~AlarmModel() = default;
AlarmModel::AlarmModel(AlarmModel &&) noexcept = default;
AlarmModel &AlarmModel::operator=(AlarmModel &&) noexcept = default;

void AlarmModel::reportCondition(std::string_view tag, bool isActive, RunId run, AlarmTime now)
{
    detail::AlarmTracker &alarm = tracker("report the condition of", tag);
    advanceTo(now);
    alarm.reportCondition(isActive, run, m_now);
    // A zero delay falls due at once.
    advanceTo(m_now);
}

void AlarmModel::update(AlarmTime now)
{
    advanceTo(now);
}

void AlarmModel::acknowledge(std::string_view tag, const AlarmActor &actor, std::string_view comment, AlarmTime now)
{
    detail::AlarmTracker &alarm = tracker("acknowledge", tag);
    advanceTo(now);
    requireComplete("acknowledge", tag, actor);
    alarm.acknowledge(actor, comment, m_now, m_events);
    numberNewEvents();
}

std::size_t AlarmModel::acknowledgeAll(std::span<const std::string> shownTags, const AlarmActor &actor,
                                       std::string_view comment, AlarmTime now)
{
    constexpr std::string_view command = "acknowledge all listed alarms";
    for (const std::string &tag : shownTags) {
        if (m_indexByTag.find(tag) == m_indexByTag.end()) {
            throw AlarmCommandError(std::string(command), tag,
                                    "no alarm with this tag is defined; none of the listed alarms was acknowledged");
        }
    }
    advanceTo(now);
    requireComplete(command, {}, actor);
    std::size_t acknowledged = 0;
    for (const std::string &tag : shownTags) {
        detail::AlarmTracker &alarm = m_trackers[m_indexByTag.find(tag)->second];
        if (alarm.whyCannotAcknowledge().empty()) {
            alarm.acknowledge(actor, comment, m_now, m_events);
            ++acknowledged;
        }
    }
    numberNewEvents();
    return acknowledged;
}

void AlarmModel::reset(std::string_view tag, const AlarmActor &actor, std::string_view comment, AlarmTime now)
{
    detail::AlarmTracker &alarm = tracker("reset", tag);
    advanceTo(now);
    requireComplete("reset", tag, actor);
    alarm.reset(actor, comment, m_now, m_events);
    numberNewEvents();
}

void AlarmModel::shelve(std::string_view tag, std::chrono::milliseconds duration, const AlarmActor &actor,
                        std::string_view reason, AlarmTime now)
{
    detail::AlarmTracker &alarm = tracker("shelve", tag);
    advanceTo(now);
    requireComplete("shelve", tag, actor);
    alarm.shelve(duration, actor, reason, m_now, m_events);
    numberNewEvents();
}

void AlarmModel::unshelve(std::string_view tag, const AlarmActor &actor, std::string_view comment, AlarmTime now)
{
    detail::AlarmTracker &alarm = tracker("unshelve", tag);
    advanceTo(now);
    requireComplete("unshelve", tag, actor);
    alarm.unshelve(actor, comment, m_now, m_events);
    numberNewEvents();
}

void AlarmModel::suppress(std::string_view tag, std::string_view reason, AlarmTime now)
{
    detail::AlarmTracker &alarm = tracker("suppress", tag);
    advanceTo(now);
    alarm.suppress(reason, m_now, m_events);
    numberNewEvents();
}

void AlarmModel::unsuppress(std::string_view tag, AlarmTime now)
{
    detail::AlarmTracker &alarm = tracker("unsuppress", tag);
    advanceTo(now);
    alarm.unsuppress(m_now, m_events);
    numberNewEvents();
}

void AlarmModel::removeFromService(std::string_view tag, const AlarmActor &actor, std::string_view reason,
                                   AlarmTime now)
{
    detail::AlarmTracker &alarm = tracker("remove from service", tag);
    advanceTo(now);
    requireComplete("remove from service", tag, actor);
    alarm.removeFromService(actor, reason, m_now, m_events);
    numberNewEvents();
}

void AlarmModel::returnToService(std::string_view tag, const AlarmActor &actor, std::string_view comment,
                                 AlarmTime now)
{
    detail::AlarmTracker &alarm = tracker("return to service", tag);
    advanceTo(now);
    requireComplete("return to service", tag, actor);
    alarm.returnToService(actor, comment, m_now, m_events);
    numberNewEvents();
}

std::vector<AlarmStatus> AlarmModel::alarms() const
{
    std::vector<AlarmStatus> statuses;
    statuses.reserve(m_trackers.size());
    for (const detail::AlarmTracker &alarm : m_trackers) {
        statuses.push_back(alarm.status());
    }
    return statuses;
}

std::optional<AlarmStatus> AlarmModel::status(std::string_view tag) const
{
    const auto found = m_indexByTag.find(tag);
    if (found == m_indexByTag.end()) {
        return std::nullopt;
    }
    return m_trackers[found->second].status();
}

std::optional<AlarmStatus> AlarmModel::banner() const
{
    const detail::AlarmTracker *best = nullptr;
    for (const detail::AlarmTracker &alarm : m_trackers) {
        if (alarm.shownState() != AlarmState::Unacknowledged) {
            continue;
        }
        // Strict comparisons keep the earlier-defined alarm on a full tie.
        if (best == nullptr || isMoreUrgent(alarm.definition().priority, best->definition().priority) ||
            (alarm.definition().priority == best->definition().priority &&
             alarm.activatedAt() < best->activatedAt())) {
            best = &alarm;
        }
    }
    if (best == nullptr) {
        return std::nullopt;
    }
    return best->status();
}

std::size_t AlarmModel::count(AlarmState state) const noexcept
{
    return static_cast<std::size_t>(std::count_if(m_trackers.begin(), m_trackers.end(),
                                                  [state](const auto &alarm) { return alarm.shownState() == state; }));
}

AlarmFlood AlarmModel::flood() const noexcept
{
    return AlarmFlood{m_floodSince.has_value(), m_floodSince, m_floodActivations.size()};
}

std::vector<AlarmEvent> AlarmModel::takeEvents()
{
    std::vector<AlarmEvent> taken;
    taken.swap(m_events);
    m_numberedEvents = 0;
    return taken;
}

void AlarmModel::advanceTo(AlarmTime target)
{
    target = std::max(target, m_now);
    for (;;) {
        // Strict comparisons settle ties by position: the flood window first (which changes
        // nothing, as counting an activation expires the window too), then definition order.
        std::optional<AlarmTime> earliest = floodDeadline();
        std::size_t which = kFlood;
        for (std::size_t i = 0; i < m_trackers.size(); ++i) {
            const std::optional<AlarmTime> deadline = m_trackers[i].nextDeadline();
            if (deadline && (!earliest || *deadline < *earliest)) {
                earliest = deadline;
                which = i;
            }
        }
        if (!earliest || *earliest > target) {
            break;
        }
        m_now = std::max(m_now, *earliest);
        if (which == kFlood) {
            expireFloodWindow(m_now);
        } else if (m_trackers[which].advance(m_now, m_events)) {
            countActivation(m_now, m_trackers[which].runId());
        }
    }
    m_now = target;
    numberNewEvents();
}

std::optional<AlarmTime> AlarmModel::floodDeadline() const noexcept
{
    if (m_floodActivations.empty()) {
        return std::nullopt;
    }
    return m_floodActivations.front() + m_floodPolicy.window;
}

void AlarmModel::expireFloodWindow(AlarmTime at)
{
    while (!m_floodActivations.empty() && m_floodActivations.front() + m_floodPolicy.window <= at) {
        m_floodActivations.pop_front();
    }
    if (m_floodSince && m_floodActivations.size() < m_floodPolicy.threshold) {
        m_floodSince.reset();
        AlarmEvent event;
        event.kind = AlarmEventKind::FloodEnded;
        event.at = at;
        m_events.push_back(std::move(event));
    }
}

void AlarmModel::countActivation(AlarmTime at, RunId run)
{
    expireFloodWindow(at);
    m_floodActivations.push_back(at);
    if (!m_floodSince && m_floodActivations.size() > m_floodPolicy.threshold) {
        m_floodSince = at;
        AlarmEvent event;
        event.kind = AlarmEventKind::FloodBegan;
        event.at = at;
        event.runId = run;
        m_events.push_back(std::move(event));
    }
}

detail::AlarmTracker &AlarmModel::tracker(std::string_view command, std::string_view tag)
{
    const auto found = m_indexByTag.find(tag);
    if (found == m_indexByTag.end()) {
        throw AlarmCommandError(std::string(command), std::string(tag), "no alarm with this tag is defined");
    }
    return m_trackers[found->second];
}

void AlarmModel::numberNewEvents() noexcept
{
    for (; m_numberedEvents < m_events.size(); ++m_numberedEvents) {
        m_events[m_numberedEvents].sequence = ++m_lastSequence;
    }
}

} // namespace waferscope::core
