#include <waferscope/core/alarms/alarm_kpis.h>

#include <algorithm>
#include <deque>
#include <map>
#include <optional>

namespace waferscope::core {

namespace {

using Time = AlarmKpis::Time;
using Duration = Time::duration;

struct Activation {
    Time at;
    const AlarmEvent *event;
};

/// The period's activations by time (the order stored breaks ties).
std::vector<Activation> activationsOf(std::span<const AlarmEventRecord> events, Time from, Time to)
{
    std::vector<Activation> out;
    for (const AlarmEventRecord &record : events) {
        if (record.event.kind == AlarmEventKind::Activated && record.occurredAt >= from && record.occurredAt <= to) {
            out.push_back({record.occurredAt, &record.event});
        }
    }
    std::stable_sort(out.begin(), out.end(), [](const Activation &a, const Activation &b) { return a.at < b.at; });
    return out;
}

/// The most activations inside any window of `width` (a window ending at each activation).
std::size_t peakWithin(const std::vector<Activation> &activations, Duration width)
{
    std::size_t peak = 0;
    std::size_t first = 0;
    for (std::size_t last = 0; last < activations.size(); ++last) {
        while (activations[last].at - activations[first].at >= width) {
            ++first;
        }
        peak = std::max(peak, last - first + 1);
    }
    return peak;
}

/// Flood periods: from the activation that puts more than the threshold into the window, until the
/// window (sliding with time) holds no more than the threshold again — when the oldest activation
/// that kept it full drops out of it.
std::vector<AlarmKpis::Flood> floodsOf(const std::vector<Activation> &activations, const AlarmFloodPolicy &policy, Time to)
{
    std::vector<AlarmKpis::Flood> floods;
    const Duration window = std::chrono::duration_cast<Duration>(policy.window);
    std::deque<Time> inWindow;
    std::optional<AlarmKpis::Flood> current;
    // Activations a flood counted already: a flood that begins soon after another one ended starts
    // with some of its activations in the window, and those count once.
    std::optional<Time> countedUpTo;
    const auto closeUpTo = [&](Time now) {
        // Drop what leaves the window before `now`; a flood ends when the count falls to the threshold.
        while (!inWindow.empty() && inWindow.front() + window <= now) {
            const Time leaves = inWindow.front() + window;
            inWindow.pop_front();
            if (current && inWindow.size() <= policy.threshold) {
                current->ended = leaves;
                floods.push_back(*current);
                current.reset();
            }
        }
    };
    for (const Activation &activation : activations) {
        closeUpTo(activation.at);
        inWindow.push_back(activation.at);
        if (!current && inWindow.size() > policy.threshold) {
            const auto uncounted = static_cast<std::size_t>(std::count_if(
                inWindow.begin(), inWindow.end(), [&countedUpTo](Time t) { return !countedUpTo || t > *countedUpTo; }));
            current = AlarmKpis::Flood{activation.at, activation.at, false, uncounted, inWindow.size()};
            countedUpTo = activation.at;
        } else if (current) {
            ++current->activations;
            current->peak = std::max(current->peak, inWindow.size());
            countedUpTo = activation.at;
        }
    }
    closeUpTo(to);
    if (current) {
        current->ended = to;
        current->isOngoing = true;
        floods.push_back(*current);
    }
    return floods;
}

std::vector<AlarmKpis::BadActor> badActorsOf(const std::vector<Activation> &activations, std::size_t count)
{
    std::map<std::string, AlarmKpis::BadActor> byTag;
    for (const Activation &activation : activations) {
        AlarmKpis::BadActor &actor = byTag[activation.event->tag];
        actor.tag = activation.event->tag;
        actor.priority = activation.event->priority;
        ++actor.activations;
    }
    std::vector<AlarmKpis::BadActor> actors;
    for (auto &[tag, actor] : byTag) {
        actor.share = static_cast<double>(actor.activations) / static_cast<double>(activations.size());
        actors.push_back(std::move(actor));
    }
    // Most frequent first; the map's order (by tag) breaks ties.
    std::stable_sort(actors.begin(), actors.end(),
                     [](const auto &a, const auto &b) { return a.activations > b.activations; });
    if (actors.size() > count) {
        actors.resize(count);
    }
    return actors;
}

std::vector<AlarmKpis::Chattering> chatteringOf(std::span<const AlarmEventRecord> events,
                                                const std::vector<Activation> &activations, Time from, Time to,
                                                const AlarmKpiOptions &options)
{
    std::map<std::string, std::vector<Time>> timesByTag;
    for (const Activation &activation : activations) {
        timesByTag[activation.event->tag].push_back(activation.at);
    }
    std::map<std::string, AlarmKpis::Chattering> byTag;
    for (const auto &[tag, times] : timesByTag) {
        // An episode: a burst of chatterCount activations within the window; the next episode
        // starts after the burst's last activation.
        std::size_t episodes = 0;
        std::size_t first = 0;
        for (std::size_t last = 0; last < times.size(); ++last) {
            while (times[last] - times[first] >= options.chatterWindow) {
                ++first;
            }
            if (options.chatterCount > 0 && last - first + 1 >= options.chatterCount) {
                ++episodes;
                first = last + 1;
            }
        }
        if (episodes > 0) {
            byTag[tag] = {tag, episodes, times.size()};
        }
    }
    // The model's own chatter detection (its per-alarm count and window) counts too.
    for (const AlarmEventRecord &record : events) {
        if (record.event.kind == AlarmEventKind::ChatteringBegan && record.occurredAt >= from && record.occurredAt <= to &&
            !byTag.contains(record.event.tag)) {
            const auto found = timesByTag.find(record.event.tag);
            byTag[record.event.tag] = {record.event.tag, 1, found == timesByTag.end() ? 0 : found->second.size()};
        }
    }
    std::vector<AlarmKpis::Chattering> out;
    for (auto &[tag, entry] : byTag) {
        out.push_back(std::move(entry));
    }
    std::stable_sort(out.begin(), out.end(), [](const auto &a, const auto &b) { return a.activations > b.activations; });
    return out;
}

std::vector<AlarmKpis::Standing> standingOf(std::span<const AlarmStatus> statuses, Time now, AlarmTime steadyNow,
                                            Duration staleAfter)
{
    std::vector<AlarmKpis::Standing> out;
    for (const AlarmStatus &status : statuses) {
        if (status.trackedState == AlarmState::Normal || !status.activatedAt) {
            continue;
        }
        const Time since = now - std::chrono::duration_cast<Duration>(steadyNow - *status.activatedAt);
        out.push_back({status.definition.tag, status.definition.priority, status.state, since, now - since > staleAfter});
    }
    std::stable_sort(out.begin(), out.end(), [](const auto &a, const auto &b) { return a.since < b.since; });
    return out;
}

std::vector<AlarmKpis::UserCount> usersOf(std::span<const AlarmEventRecord> events, Time from, Time to)
{
    std::map<std::string, AlarmKpis::UserCount> byUser;
    for (const AlarmEventRecord &record : events) {
        const AlarmEvent &event = record.event;
        const bool isAck = event.kind == AlarmEventKind::Acknowledged;
        const bool isShelve = event.kind == AlarmEventKind::Shelved;
        if ((!isAck && !isShelve) || !event.actor || record.occurredAt < from || record.occurredAt > to) {
            continue;
        }
        AlarmKpis::UserCount &user = byUser[event.actor->userName];
        user.userName = event.actor->userName;
        user.acknowledgements += isAck ? 1 : 0;
        user.shelves += isShelve ? 1 : 0;
    }
    std::vector<AlarmKpis::UserCount> out;
    for (auto &[name, user] : byUser) {
        out.push_back(std::move(user));
    }
    return out;
}

} // namespace

AlarmKpis computeAlarmKpis(std::span<const AlarmEventRecord> events, std::span<const AlarmStatus> statuses, Time now,
                           AlarmTime steadyNow, const AlarmKpiOptions &options)
{
    AlarmKpis kpis;
    kpis.to = now;
    kpis.from = now - options.period;
    const std::vector<Activation> activations = activationsOf(events, kpis.from, kpis.to);
    kpis.activations = activations.size();
    const double hours = std::chrono::duration<double, std::ratio<3600>>(options.period).count();
    kpis.perHour = hours > 0 ? static_cast<double>(kpis.activations) / hours : 0.0;
    kpis.peakPerTenMinutes = peakWithin(activations, std::chrono::minutes(10));
    for (const Activation &activation : activations) {
        ++kpis.byPriority[static_cast<std::size_t>(activation.event->priority)];
    }

    kpis.floods = floodsOf(activations, options.flood, kpis.to);
    Duration flooded{};
    std::size_t inFlood = 0;
    for (const AlarmKpis::Flood &flood : kpis.floods) {
        flooded += flood.ended - flood.began;
        inFlood += flood.activations;
    }
    if (options.period.count() > 0) {
        kpis.timeInFlood = std::chrono::duration<double>(flooded) / std::chrono::duration<double>(options.period);
    }
    kpis.activationsInFlood = kpis.activations > 0 ? static_cast<double>(inFlood) / static_cast<double>(kpis.activations) : 0.0;

    kpis.badActors = badActorsOf(activations, options.badActorCount);
    for (const AlarmKpis::BadActor &actor : kpis.badActors) {
        kpis.badActorShare += actor.share;
    }
    kpis.chattering = chatteringOf(events, activations, kpis.from, kpis.to, options);
    kpis.standing = standingOf(statuses, now, steadyNow, options.staleAfter);
    kpis.staleCount = static_cast<std::size_t>(
        std::count_if(kpis.standing.begin(), kpis.standing.end(), [](const auto &s) { return s.isStale; }));
    kpis.users = usersOf(events, kpis.from, kpis.to);
    for (const AlarmKpis::UserCount &user : kpis.users) {
        kpis.acknowledgements += user.acknowledgements;
        kpis.shelves += user.shelves;
    }
    return kpis;
}

} // namespace waferscope::core
