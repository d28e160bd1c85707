#include <QTest>

#include <string>
#include <vector>

#include <waferscope/core/alarms/alarm_model.h>

#include "alarm_fixtures.h"

using waferscope::core::AlarmDefinition;
using waferscope::core::AlarmEvent;
using waferscope::core::AlarmEventKind;
using waferscope::core::AlarmModel;
using waferscope::core::AlarmState;
using waferscope::core::RunId;
using namespace waferscope::testing::alarms;

namespace {

const std::string kVacuum = "vacuum.low";
const RunId kRun{3};

AlarmModel delayedModel(std::chrono::milliseconds onDelay, std::chrono::milliseconds offDelay)
{
    AlarmDefinition d = definition(kVacuum);
    d.onDelay = onDelay;
    d.offDelay = offDelay;
    return AlarmModel({d});
}

/// Chatter filter: more than 3 activations within 1 min.
AlarmModel chatteringModel()
{
    AlarmDefinition d = definition(kVacuum);
    d.chatterCount = 3;
    d.chatterWindow = 1min;
    return AlarmModel({d});
}

/// Activates and returns the condition once, the activation at `start`.
void pulse(AlarmModel &model, std::chrono::milliseconds start)
{
    model.reportCondition(kVacuum, true, kRun, at(start));
    model.reportCondition(kVacuum, false, kRun, at(start + 1s));
}

AlarmState shown(const AlarmModel &model)
{
    return model.status(kVacuum)->state;
}

} // namespace

class AlarmModelFiltersTest : public QObject
{
    Q_OBJECT

private slots:
    // Delays.

    void chatterShorterThanTheOnDelayNeverActivates()
    {
        AlarmModel model = delayedModel(2s, 0ms);
        for (int i = 0; i < 50; ++i) {
            const auto start = std::chrono::seconds(3 * i);
            model.reportCondition(kVacuum, true, kRun, at(start));
            model.update(at(start + 1999ms));
            model.reportCondition(kVacuum, false, kRun, at(start + 1999ms));
        }
        model.update(at(1h));
        QCOMPARE(shown(model), AlarmState::Normal);
        QVERIFY(model.takeEvents().empty());
    }

    void conditionActiveForTheOnDelayActivatesAtTheMomentItFallsDue()
    {
        AlarmModel model = delayedModel(2s, 0ms);
        model.reportCondition(kVacuum, true, kRun, at(10s));
        model.update(at(11999ms));
        QCOMPARE(shown(model), AlarmState::Normal);
        model.update(at(30s));
        QCOMPARE(shown(model), AlarmState::Unacknowledged);
        const std::vector<AlarmEvent> events = model.takeEvents();
        QCOMPARE(events.size(), std::size_t{1});
        QVERIFY(events.front().at == at(12s));
        QCOMPARE(model.status(kVacuum)->activatedAt, std::optional<AlarmTime>(at(12s)));
    }

    void onDelayStartsAgainWhenTheConditionDropsInBetween()
    {
        AlarmModel model = delayedModel(2s, 0ms);
        model.reportCondition(kVacuum, true, kRun, at(0s));
        model.reportCondition(kVacuum, false, kRun, at(1500ms));
        model.reportCondition(kVacuum, true, kRun, at(1600ms));
        model.update(at(3500ms));
        QCOMPARE(shown(model), AlarmState::Normal);
        model.update(at(3600ms));
        QCOMPARE(shown(model), AlarmState::Unacknowledged);
    }

    void returnShorterThanTheOffDelayKeepsTheAlarmActive()
    {
        AlarmModel model = delayedModel(0ms, 3s);
        model.reportCondition(kVacuum, true, kRun, at(0s));
        for (int i = 1; i <= 20; ++i) {
            const auto drop = std::chrono::seconds(10 * i);
            model.reportCondition(kVacuum, false, kRun, at(drop));
            model.update(at(drop + 2999ms));
            model.reportCondition(kVacuum, true, kRun, at(drop + 2999ms));
        }
        QCOMPARE(shown(model), AlarmState::Unacknowledged);
        QCOMPARE(kinds(model.takeEvents()), std::vector{AlarmEventKind::Activated});
    }

    void conditionInactiveForTheOffDelayReturnsAtTheMomentItFallsDue()
    {
        AlarmModel model = delayedModel(0ms, 3s);
        model.reportCondition(kVacuum, true, kRun, at(0s));
        model.reportCondition(kVacuum, false, kRun, at(10s));
        model.update(at(12999ms));
        QCOMPARE(shown(model), AlarmState::Unacknowledged);
        model.update(at(1min));
        QCOMPARE(shown(model), AlarmState::ReturnedUnacknowledged);
        const std::vector<AlarmEvent> events = model.takeEvents();
        QCOMPARE(kinds(events), (std::vector{AlarmEventKind::Activated, AlarmEventKind::ReturnedToNormal}));
        QVERIFY(events.back().at == at(13s));
    }

    void zeroDelaysTakeEffectOnTheReportItself()
    {
        AlarmModel model = delayedModel(0ms, 0ms);
        model.reportCondition(kVacuum, true, kRun, at(5s));
        QCOMPARE(shown(model), AlarmState::Unacknowledged);
        model.reportCondition(kVacuum, false, kRun, at(5s));
        QCOMPARE(shown(model), AlarmState::ReturnedUnacknowledged);
    }

    void statusShowsTheConditionAsReportedBeforeTheDelays()
    {
        AlarmModel model = delayedModel(2s, 0ms);
        model.reportCondition(kVacuum, true, kRun, at(0s));
        QVERIFY(model.status(kVacuum)->isConditionActive);
        QCOMPARE(shown(model), AlarmState::Normal);
    }

    // Chattering.

    void activatingMoreThanTheChatterCountWithinTheWindowIsChattering()
    {
        AlarmModel model = chatteringModel();
        pulse(model, 0s);
        pulse(model, 10s);
        pulse(model, 20s);
        QVERIFY(!model.status(kVacuum)->isChattering);
        QVERIFY(!kinds(model.takeEvents()).empty());

        model.reportCondition(kVacuum, true, kRun, at(30s));
        QVERIFY(model.status(kVacuum)->isChattering);
        const std::vector<AlarmEvent> events = model.takeEvents();
        QCOMPARE(kinds(events), (std::vector{AlarmEventKind::Activated, AlarmEventKind::ChatteringBegan}));
        QVERIFY(events.back().at == at(30s));
        QCOMPARE(events.back().runId, kRun);
    }

    void activationsSpreadWiderThanTheChatterWindowAreNotChattering()
    {
        AlarmModel model = chatteringModel();
        // The fourth activation comes exactly one window after the first, which then no longer counts.
        pulse(model, 0s);
        pulse(model, 20s);
        pulse(model, 40s);
        pulse(model, 60s);
        pulse(model, 80s);
        QVERIFY(!model.status(kVacuum)->isChattering);
        for (const AlarmEvent &event : model.takeEvents()) {
            QVERIFY(event.kind != AlarmEventKind::ChatteringBegan);
        }
    }

    void chatteringAlarmIsHeldActiveAndAbsorbsFurtherActivations()
    {
        AlarmModel model = chatteringModel();
        pulse(model, 0s);
        pulse(model, 10s);
        pulse(model, 20s);
        model.reportCondition(kVacuum, true, kRun, at(30s));
        (void)model.takeEvents();

        model.reportCondition(kVacuum, false, kRun, at(31s));
        QCOMPARE(shown(model), AlarmState::Unacknowledged);
        model.acknowledge(kVacuum, kTechnician, "", at(32s));
        pulse(model, 40s);
        pulse(model, 50s);
        QCOMPARE(shown(model), AlarmState::Acknowledged);
        QCOMPARE(kinds(model.takeEvents()), std::vector{AlarmEventKind::Acknowledged});
    }

    void chatteringEndsAfterAQuietWindowAndTheAlarmThenReturns()
    {
        AlarmModel model = chatteringModel();
        pulse(model, 0s);
        pulse(model, 10s);
        pulse(model, 20s);
        pulse(model, 30s);
        pulse(model, 45s); // absorbed; the quiet window starts again
        (void)model.takeEvents();

        model.update(at(105s) - 1ms);
        QVERIFY(model.status(kVacuum)->isChattering);
        QCOMPARE(shown(model), AlarmState::Unacknowledged);
        model.update(at(10min));
        QVERIFY(!model.status(kVacuum)->isChattering);
        QCOMPARE(shown(model), AlarmState::ReturnedUnacknowledged);
        const std::vector<AlarmEvent> events = model.takeEvents();
        QCOMPARE(kinds(events), (std::vector{AlarmEventKind::ChatteringEnded, AlarmEventKind::ReturnedToNormal}));
        QVERIFY(events[0].at == at(105s));
        QVERIFY(events[1].at == at(105s));
    }

    void chatteringEndsWithTheAlarmStillActiveWhileItsConditionIs()
    {
        AlarmModel model = chatteringModel();
        pulse(model, 0s);
        pulse(model, 10s);
        pulse(model, 20s);
        model.reportCondition(kVacuum, true, kRun, at(30s));
        (void)model.takeEvents();
        model.update(at(10min));
        QVERIFY(!model.status(kVacuum)->isChattering);
        QCOMPARE(shown(model), AlarmState::Unacknowledged);
        QCOMPARE(kinds(model.takeEvents()), std::vector{AlarmEventKind::ChatteringEnded});

        model.reportCondition(kVacuum, false, kRun, at(11min));
        QCOMPARE(shown(model), AlarmState::ReturnedUnacknowledged);
    }

    // Time.

    void anEarlierNowCountsAsTheLatestTimeGiven()
    {
        AlarmModel model = delayedModel(0ms, 0ms);
        model.update(at(10s));
        model.reportCondition(kVacuum, true, kRun, at(5s));
        QVERIFY(model.now() == at(10s));
        QCOMPARE(model.status(kVacuum)->activatedAt, std::optional<AlarmTime>(at(10s)));
        QVERIFY(model.takeEvents().front().at == at(10s));
    }

    void timedChangesOfDifferentAlarmsHappenInTimeOrder()
    {
        AlarmDefinition slow = definition("slow.alarm");
        slow.onDelay = 5s;
        AlarmDefinition fast = definition("fast.alarm");
        fast.onDelay = 2s;
        AlarmModel model({slow, fast});
        model.reportCondition("slow.alarm", true, kRun, at(0s));
        model.reportCondition("fast.alarm", true, kRun, at(0s));
        model.shelve("slow.alarm", 3s, kTechnician, "testing", at(0s));
        (void)model.takeEvents();

        model.update(at(1min));
        const std::vector<AlarmEvent> events = model.takeEvents();
        QCOMPARE(kinds(events), (std::vector{AlarmEventKind::Activated, AlarmEventKind::ShelveExpired,
                                             AlarmEventKind::Activated}));
        QCOMPARE(events[0].tag, std::string("fast.alarm"));
        QVERIFY(events[0].at == at(2s));
        QVERIFY(events[1].at == at(3s));
        QCOMPARE(events[2].tag, std::string("slow.alarm"));
        QVERIFY(events[2].at == at(5s));
        // Unshelved by then, so the slow alarm's activation is shown.
        QCOMPARE(events[2].to, AlarmState::Unacknowledged);
    }

    void alarmsDueAtTheSameMomentChangeInDefinitionOrder()
    {
        AlarmDefinition first = definition("first.alarm");
        first.onDelay = 2s;
        AlarmDefinition second = definition("second.alarm");
        second.onDelay = 2s;
        AlarmModel model({first, second});
        model.reportCondition("second.alarm", true, kRun, at(0s));
        model.reportCondition("first.alarm", true, kRun, at(0s));
        model.update(at(1min));
        const std::vector<AlarmEvent> events = model.takeEvents();
        QCOMPARE(events.size(), std::size_t{2});
        QCOMPARE(events[0].tag, std::string("first.alarm"));
        QCOMPARE(events[1].tag, std::string("second.alarm"));
    }

    void theSameStoryAtAnyOriginGivesTheSameEvents()
    {
        // The model reads no clock: only the time points it is given matter.
        const auto story = [](AlarmTime origin) {
            AlarmModel model = delayedModel(2s, 3s);
            model.reportCondition(kVacuum, true, kRun, origin);
            model.reportCondition(kVacuum, false, kRun, origin + 10s);
            model.update(origin + 1min);
            std::vector<std::chrono::steady_clock::duration> offsets;
            for (const AlarmEvent &event : model.takeEvents()) {
                offsets.push_back(event.at - origin);
            }
            return offsets;
        };
        const auto nearEpoch = story(AlarmTime{});
        const auto farAway = story(AlarmTime{} + std::chrono::hours(24 * 365 * 50));
        QCOMPARE(nearEpoch.size(), std::size_t{2});
        QVERIFY(nearEpoch == farAway);
        QVERIFY(nearEpoch[0] == std::chrono::steady_clock::duration(2s));
        QVERIFY(nearEpoch[1] == std::chrono::steady_clock::duration(13s));
    }
};

QTEST_GUILESS_MAIN(AlarmModelFiltersTest)
#include "alarm_model_filters_test.moc"
