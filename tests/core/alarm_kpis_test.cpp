#include <QTest>

#include <chrono>
#include <string>
#include <vector>

#include <waferscope/core/alarms/alarm_kpis.h>

#include "alarm_fixtures.h"

using namespace waferscope::core;
using namespace std::chrono_literals;
using waferscope::testing::alarms::definition;
using waferscope::testing::alarms::kEngineer;
using waferscope::testing::alarms::kTechnician;

namespace {

using Time = AlarmKpis::Time;

/// The end of every measured period: a fixed wall-clock time, so no test reads a clock.
const Time kNow = Time{} + std::chrono::hours(24 * 365 * 50);
const AlarmTime kSteadyNow = AlarmTime{} + std::chrono::hours(5000);

/// An event of `kind` for `tag`, `ago` before kNow.
AlarmEventRecord eventOf(AlarmEventKind kind, const std::string &tag, Time::duration ago,
                       AlarmPriority priority = AlarmPriority::Medium, std::optional<AlarmActor> actor = std::nullopt)
{
    AlarmEventRecord record;
    record.event.kind = kind;
    record.event.tag = tag;
    record.event.priority = priority;
    record.event.actor = std::move(actor);
    record.occurredAt = kNow - ago;
    return record;
}

AlarmEventRecord activation(const std::string &tag, Time::duration ago, AlarmPriority priority = AlarmPriority::Medium)
{
    return eventOf(AlarmEventKind::Activated, tag, ago, priority);
}

AlarmKpiOptions lastHours(int hours)
{
    AlarmKpiOptions options;
    options.period = std::chrono::hours(hours);
    return options;
}

} // namespace

class AlarmKpisTest : public QObject
{
    Q_OBJECT

private slots:
    void theRateCountsActivationsOfThePeriodOnly()
    {
        std::vector<AlarmEventRecord> events;
        for (int i = 0; i < 12; ++i) {
            events.push_back(activation("vacuum", std::chrono::hours(1) * i + 1min));
        }
        events.push_back(activation("vacuum", 25h));                              // before the period
        events.push_back(eventOf(AlarmEventKind::ReturnedToNormal, "vacuum", 2min)); // not an activation
        const AlarmKpis kpis = computeAlarmKpis(events, {}, kNow, kSteadyNow, lastHours(24));
        QCOMPARE(kpis.activations, 12u);
        QCOMPARE(kpis.perHour, 0.5);
        QCOMPARE(kpis.peakPerTenMinutes, 1u);
        QVERIFY(kpis.floods.empty());
        QCOMPARE(kpis.timeInFlood, 0.0);
        QVERIFY(kpis.from == kNow - 24h && kpis.to == kNow);
    }

    void moreThanTenInTenMinutesIsAFloodThatEndsWhenTheWindowHoldsTenAgain()
    {
        // 11 activations 50 s apart from 60 min ago: the 11th makes the flood; it ends when the
        // first leaves the 10-minute window, 50 min ago.
        std::vector<AlarmEventRecord> events;
        for (int i = 0; i < 11; ++i) {
            events.push_back(activation("frames.lost", 60min - std::chrono::seconds(50 * i)));
        }
        const AlarmKpis kpis = computeAlarmKpis(events, {}, kNow, kSteadyNow, lastHours(2));
        QCOMPARE(kpis.peakPerTenMinutes, 11u);
        QCOMPARE(kpis.floods.size(), 1u);
        const AlarmKpis::Flood &flood = kpis.floods.front();
        QVERIFY(flood.began == kNow - 60min + 500s);
        QVERIFY(flood.ended == kNow - 50min);
        QCOMPARE(flood.activations, 11u);
        QCOMPARE(flood.peak, 11u);
        QVERIFY(!flood.isOngoing);
        QCOMPARE(kpis.activationsInFlood, 1.0);
        QCOMPARE(kpis.timeInFlood, 100.0 / 7200.0);
    }

    void elevenActivationsSpreadOverTenMinutesAreNoFlood()
    {
        // One a minute: the first leaves the window exactly as the 11th arrives.
        std::vector<AlarmEventRecord> events;
        for (int i = 0; i < 11; ++i) {
            events.push_back(activation("frames.lost", 60min - std::chrono::minutes(i)));
        }
        const AlarmKpis kpis = computeAlarmKpis(events, {}, kNow, kSteadyNow, lastHours(2));
        QCOMPARE(kpis.peakPerTenMinutes, 10u);
        QVERIFY(kpis.floods.empty());
    }

    void aFloodStillGoingAtTheEndOfThePeriodIsOngoing()
    {
        std::vector<AlarmEventRecord> events;
        for (int i = 0; i < 15; ++i) {
            events.push_back(activation("alarm" + std::to_string(i % 3), std::chrono::seconds(300 - 10 * i)));
        }
        events.push_back(activation("quiet", 90min));
        const AlarmKpis kpis = computeAlarmKpis(events, {}, kNow, kSteadyNow, lastHours(2));
        QCOMPARE(kpis.floods.size(), 1u);
        QVERIFY(kpis.floods.front().isOngoing);
        QVERIFY(kpis.floods.front().began == kNow - 300s + 100s); // the 11th, 10 × 10 s after the first
        QVERIFY(kpis.floods.front().ended == kNow);
        QCOMPARE(kpis.floods.front().activations, 15u);
        QCOMPARE(kpis.peakPerTenMinutes, 15u);
        QCOMPARE(kpis.timeInFlood, 200.0 / 7200.0);
        QCOMPARE(kpis.activationsInFlood, 15.0 / 16.0);
    }

    void badActorsAreTheMostFrequentAlarmsWithTheirShare()
    {
        std::vector<AlarmEventRecord> events;
        const auto add = [&events](const std::string &tag, int count, AlarmPriority priority) {
            for (int i = 0; i < count; ++i) {
                events.push_back(activation(tag, std::chrono::minutes(30 * i + 5), priority));
            }
        };
        add("illumination", 5, AlarmPriority::Low);
        add("vacuum", 8, AlarmPriority::Critical);
        add("encoder", 2, AlarmPriority::High);
        add("camera", 5, AlarmPriority::High);
        AlarmKpiOptions options = lastHours(24);
        options.badActorCount = 3;
        const AlarmKpis kpis = computeAlarmKpis(events, {}, kNow, kSteadyNow, options);
        QCOMPARE(kpis.badActors.size(), 3u);
        QCOMPARE(kpis.badActors[0].tag, std::string("vacuum"));
        QCOMPARE(kpis.badActors[0].activations, 8u);
        QCOMPARE(kpis.badActors[0].share, 0.4);
        QCOMPARE(kpis.badActors[0].priority, AlarmPriority::Critical);
        QCOMPARE(kpis.badActors[1].tag, std::string("camera")); // ties keep the tags' order
        QCOMPARE(kpis.badActors[2].tag, std::string("illumination"));
        QCOMPARE(kpis.badActorShare, 0.9);
        QCOMPARE(kpis.byPriority[0], 8u);
        QCOMPARE(kpis.byPriority[1], 7u);
        QCOMPARE(kpis.byPriority[2], 0u);
        QCOMPARE(kpis.byPriority[3], 5u);
    }

    void threeActivationsWithinAMinuteAreAChatteringEpisode()
    {
        std::vector<AlarmEventRecord> events = {
            // vacuum: two bursts of 3 within 40 s, and a single one
            activation("vacuum", 600s), activation("vacuum", 580s), activation("vacuum", 560s),
            activation("vacuum", 300s), activation("vacuum", 290s), activation("vacuum", 280s),
            activation("vacuum", 100s),
            // encoder: 3, but spread over 2 minutes
            activation("encoder", 500s), activation("encoder", 440s), activation("encoder", 380s),
            // the model saw the illumination alarm chatter by its own rule
            activation("illumination", 200s),
            eventOf(AlarmEventKind::ChatteringBegan, "illumination", 199s),
        };
        const AlarmKpis kpis = computeAlarmKpis(events, {}, kNow, kSteadyNow, lastHours(1));
        QCOMPARE(kpis.chattering.size(), 2u);
        QCOMPARE(kpis.chattering[0].tag, std::string("vacuum"));
        QCOMPARE(kpis.chattering[0].episodes, 2u);
        QCOMPARE(kpis.chattering[0].activations, 7u);
        QCOMPARE(kpis.chattering[1].tag, std::string("illumination"));
        QCOMPARE(kpis.chattering[1].episodes, 1u);
    }

    void standingAlarmsComeFromTheModelAndAreStaleAfterADay()
    {
        std::vector<AlarmStatus> statuses(4);
        statuses[0].definition = definition("vacuum", AlarmPriority::Critical);
        statuses[0].state = AlarmState::Acknowledged;
        statuses[0].trackedState = AlarmState::Acknowledged;
        statuses[0].activatedAt = kSteadyNow - 25h;
        statuses[1].definition = definition("camera", AlarmPriority::High);
        statuses[1].state = AlarmState::Shelved; // hidden, but still in alarm underneath
        statuses[1].trackedState = AlarmState::Unacknowledged;
        statuses[1].activatedAt = kSteadyNow - 2h;
        statuses[2].definition = definition("encoder"); // normal: not standing
        statuses[3].definition = definition("illumination", AlarmPriority::Low);
        statuses[3].state = AlarmState::Latched;
        statuses[3].trackedState = AlarmState::Latched;
        statuses[3].activatedAt = kSteadyNow - 10min;
        const AlarmKpis kpis = computeAlarmKpis({}, statuses, kNow, kSteadyNow, lastHours(8));
        QCOMPARE(kpis.standing.size(), 3u);
        QCOMPARE(kpis.standing[0].tag, std::string("vacuum")); // oldest first
        QVERIFY(kpis.standing[0].isStale);
        QVERIFY(kpis.standing[0].since == kNow - 25h);
        QCOMPARE(kpis.standing[1].tag, std::string("camera"));
        QCOMPARE(kpis.standing[1].state, AlarmState::Shelved);
        QVERIFY(!kpis.standing[1].isStale);
        QCOMPARE(kpis.standing[2].tag, std::string("illumination"));
        QCOMPARE(kpis.staleCount, 1u);
    }

    void acknowledgementsAndShelvesAreCountedPerUser()
    {
        const std::vector<AlarmEventRecord> events = {
            eventOf(AlarmEventKind::Acknowledged, "vacuum", 10min, AlarmPriority::Critical, kTechnician),
            eventOf(AlarmEventKind::Acknowledged, "camera", 9min, AlarmPriority::High, kTechnician),
            eventOf(AlarmEventKind::Shelved, "camera", 8min, AlarmPriority::High, kEngineer),
            eventOf(AlarmEventKind::Acknowledged, "encoder", 7min, AlarmPriority::High, kEngineer),
            eventOf(AlarmEventKind::Acknowledged, "encoder", 3h, AlarmPriority::High, kEngineer), // before
        };
        const AlarmKpis kpis = computeAlarmKpis(events, {}, kNow, kSteadyNow, lastHours(1));
        QCOMPARE(kpis.users.size(), 2u);
        QCOMPARE(kpis.users[0].userName, kTechnician.userName);
        QCOMPARE(kpis.users[0].acknowledgements, 2u);
        QCOMPARE(kpis.users[0].shelves, 0u);
        QCOMPARE(kpis.users[1].userName, kEngineer.userName);
        QCOMPARE(kpis.users[1].acknowledgements, 1u);
        QCOMPARE(kpis.users[1].shelves, 1u);
        QCOMPARE(kpis.acknowledgements, 3u);
        QCOMPARE(kpis.shelves, 1u);
    }

    void aQuietPeriodHasNothingToReport()
    {
        const AlarmKpis kpis = computeAlarmKpis({}, {}, kNow, kSteadyNow, lastHours(8));
        QCOMPARE(kpis.activations, 0u);
        QCOMPARE(kpis.perHour, 0.0);
        QCOMPARE(kpis.activationsInFlood, 0.0);
        QVERIFY(kpis.badActors.empty() && kpis.chattering.empty() && kpis.standing.empty() && kpis.users.empty());
    }
};

QTEST_GUILESS_MAIN(AlarmKpisTest)
#include "alarm_kpis_test.moc"
