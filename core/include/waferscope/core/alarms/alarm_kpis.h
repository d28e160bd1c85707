#pragma once

/// AlarmKpis: how the alarm system performed over a period, by the measures of ISA-18.2 (and EEMUA
/// 191, which it follows): the alarm rate per operator position, flood periods, the most frequent
/// alarms (bad actors), chattering alarms, standing and stale alarms, the priority distribution,
/// and who acknowledged.
///
/// One console is one operator position, so "alarms per hour per operator" is the console's own
/// activation rate; the acknowledgements per user show how the load was shared between the people
/// who worked it.
///
/// Inputs: the stored alarm events of the period (any order; events outside it are ignored), the
/// alarm model's current statuses for standing and stale alarms (what is in alarm now — the store
/// cannot tell, since a program that ended left its alarms as they were), and the two clocks' "now".
/// Flood: the periods in which more than `flood.threshold` activations lie within `flood.window`
/// (ISA-18.2: more than 10 in 10 minutes), found from the activations themselves; a flood begins at
/// the activation that exceeds the threshold and ends when the window holds no more than the
/// threshold again.
/// Chattering: an alarm that activated `chatterCount` times or more within `chatterWindow`
/// (ISA-18.2: 3 in 1 minute) — counted in episodes per alarm — or for which the model reported
/// ChatteringBegan.
/// Threads: a pure function of its inputs. Allocates: its result.

#include <chrono>
#include <cstddef>
#include <span>
#include <string>
#include <vector>

#include <waferscope/core/alarms/alarm_flood_policy.h>
#include <waferscope/core/alarms/alarm_priority.h>
#include <waferscope/core/alarms/alarm_status.h>
#include <waferscope/core/alarms/alarm_time.h>
#include <waferscope/core/persistence/alarm_event_record.h>

namespace waferscope::core {

struct AlarmKpiOptions {
    using Duration = std::chrono::system_clock::duration;

    /// The period measured, ending now.
    Duration period = std::chrono::hours(24);
    AlarmFloodPolicy flood;
    std::size_t chatterCount = 3;
    Duration chatterWindow = std::chrono::minutes(1);
    /// A standing alarm older than this is stale (ISA-18.2: 24 hours).
    Duration staleAfter = std::chrono::hours(24);
    /// How many bad actors to list (ISA-18.2 reviews the top 10).
    std::size_t badActorCount = 10;
};

struct AlarmKpis {
    using Time = std::chrono::system_clock::time_point;

    struct BadActor {
        std::string tag;
        AlarmPriority priority = AlarmPriority::Medium;
        std::size_t activations = 0;
        /// Of every activation in the period, 0…1.
        double share = 0.0;
    };
    struct Flood {
        Time began;
        /// Where the flood was still going at the end of the period, `ended` is the period's end.
        Time ended;
        bool isOngoing = false;
        std::size_t activations = 0;
        /// The most activations inside one window during the flood.
        std::size_t peak = 0;
    };
    struct Chattering {
        std::string tag;
        /// Bursts of chatterCount or more activations within chatterWindow.
        std::size_t episodes = 0;
        std::size_t activations = 0;
    };
    struct Standing {
        std::string tag;
        AlarmPriority priority = AlarmPriority::Medium;
        AlarmState state = AlarmState::Unacknowledged;
        Time since;
        bool isStale = false;
    };
    struct UserCount {
        std::string userName;
        std::size_t acknowledgements = 0;
        std::size_t shelves = 0;
    };

    Time from;
    Time to;
    std::size_t activations = 0;
    double perHour = 0.0;
    /// The most activations in any 10-minute window of the period (EEMUA 191's peak rate).
    std::size_t peakPerTenMinutes = 0;
    /// Of the period's length, 0…1.
    double timeInFlood = 0.0;
    /// Activations inside flood periods, 0…1 of all.
    double activationsInFlood = 0.0;
    std::vector<Flood> floods;
    std::vector<BadActor> badActors;
    /// Of every activation, 0…1, the share of the top `badActorCount` alarms.
    double badActorShare = 0.0;
    std::vector<Chattering> chattering;
    std::vector<Standing> standing;
    std::size_t staleCount = 0;
    /// Activations by priority: critical, high, medium, low.
    std::size_t byPriority[4] = {0, 0, 0, 0};
    std::vector<UserCount> users;
    std::size_t acknowledgements = 0;
    std::size_t shelves = 0;
};

/// The KPIs of the period ending at `now` (system clock); `steadyNow` dates the statuses'
/// steady-clock activation times.
[[nodiscard]] AlarmKpis computeAlarmKpis(std::span<const AlarmEventRecord> events, std::span<const AlarmStatus> statuses,
                                         AlarmKpis::Time now, AlarmTime steadyNow, const AlarmKpiOptions &options = {});

} // namespace waferscope::core
