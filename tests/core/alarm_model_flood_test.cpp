#include <QTest>

#include <string>
#include <vector>

#include <waferscope/core/alarms/alarm_model.h>

#include "alarm_fixtures.h"

using waferscope::core::AlarmDefinition;
using waferscope::core::AlarmEvent;
using waferscope::core::AlarmEventKind;
using waferscope::core::AlarmFlood;
using waferscope::core::AlarmFloodPolicy;
using waferscope::core::AlarmModel;
using waferscope::core::AlarmState;
using waferscope::core::RunId;
using namespace waferscope::testing::alarms;

namespace {

constexpr int kAlarmCount = 12;

std::string tagOf(int i)
{
    return "alarm." + std::to_string(i);
}

/// kAlarmCount alarms without delays, under `policy`.
AlarmModel manyAlarms(AlarmFloodPolicy policy = {})
{
    std::vector<AlarmDefinition> definitions;
    definitions.reserve(kAlarmCount);
    for (int i = 0; i < kAlarmCount; ++i) {
        definitions.push_back(definition(tagOf(i)));
    }
    return AlarmModel(std::move(definitions), policy);
}

/// Activates alarm i at i·spacing, for i in [0, n), each in run i + 1.
void activateInTurn(AlarmModel &model, int n, std::chrono::milliseconds spacing)
{
    for (int i = 0; i < n; ++i) {
        model.reportCondition(tagOf(i), true, RunId(static_cast<std::uint64_t>(i + 1)), at(spacing * i));
    }
}

std::vector<AlarmEvent> floodEvents(AlarmModel &model)
{
    std::vector<AlarmEvent> events = model.takeEvents();
    std::erase_if(events, [](const AlarmEvent &e) {
        return e.kind != AlarmEventKind::FloodBegan && e.kind != AlarmEventKind::FloodEnded;
    });
    return events;
}

} // namespace

class AlarmModelFloodTest : public QObject
{
    Q_OBJECT

private slots:
    void elevenActivationsWithinTenMinutesBeginAFlood()
    {
        AlarmModel model = manyAlarms();
        activateInTurn(model, 10, 59s);
        QVERIFY(!model.flood().isFlooding);
        QCOMPARE(model.flood().activationsInWindow, std::size_t{10});

        model.reportCondition(tagOf(10), true, RunId(11), at(59s * 10));
        QCOMPARE(model.flood(), (AlarmFlood{true, at(59s * 10), 11}));
        const std::vector<AlarmEvent> events = floodEvents(model);
        QCOMPARE(events.size(), std::size_t{1});
        QCOMPARE(events[0].kind, AlarmEventKind::FloodBegan);
        QVERIFY(events[0].at == at(59s * 10));
        QCOMPARE(events[0].runId, RunId(11));
        QVERIFY(events[0].tag.empty());
        QCOMPARE(events[0].from, AlarmState::Normal);
        QCOMPARE(events[0].to, AlarmState::Normal);
    }

    void tenActivationsWithinTenMinutesAreNoFlood()
    {
        AlarmModel model = manyAlarms();
        activateInTurn(model, 10, 1s);
        model.update(at(9min));
        QVERIFY(!model.flood().isFlooding);
        QVERIFY(floodEvents(model).empty());
    }

    void anActivationExactlyOneWindowOldNoLongerCounts()
    {
        AlarmModel model = manyAlarms();
        activateInTurn(model, 11, 60s); // the eleventh exactly 10 min after the first
        QVERIFY(!model.flood().isFlooding);
        QCOMPARE(model.flood().activationsInWindow, std::size_t{10});
        QVERIFY(floodEvents(model).empty());
    }

    void floodEndsWhenFewerThanTheThresholdRemainInTheWindow()
    {
        AlarmModel model = manyAlarms();
        activateInTurn(model, 11, 1s); // activations at 0 s … 10 s
        QVERIFY(model.flood().isFlooding);
        (void)model.takeEvents();

        model.update(at(10min)); // the one at 0 s leaves: 10 remain, not fewer than 10
        QVERIFY(model.flood().isFlooding);
        QCOMPARE(model.flood().activationsInWindow, std::size_t{10});
        QVERIFY(floodEvents(model).empty());

        model.update(at(20min)); // the one at 1 s leaves at 10 min 1 s: 9 remain
        QCOMPARE(model.flood(), AlarmFlood{});
        const std::vector<AlarmEvent> events = floodEvents(model);
        QCOMPARE(events.size(), std::size_t{1});
        QCOMPARE(events[0].kind, AlarmEventKind::FloodEnded);
        QVERIFY(events[0].at == at(10min + 1s));
    }

    void repeatedActivationsOfOneAlarmEachCount()
    {
        AlarmModel model = manyAlarms();
        for (int i = 0; i < 11; ++i) {
            model.reportCondition(tagOf(0), true, RunId(1), at(std::chrono::seconds(2 * i)));
            model.reportCondition(tagOf(0), false, RunId(1), at(std::chrono::seconds(2 * i + 1)));
        }
        QVERIFY(model.flood().isFlooding);
    }

    void hiddenAndChatterAbsorbedActivationsDoNotCount()
    {
        AlarmDefinition chattering = definition("chatter.alarm");
        chattering.chatterCount = 1;
        chattering.chatterWindow = 1h;
        std::vector<AlarmDefinition> definitions{chattering};
        for (int i = 0; i < 9; ++i) {
            definitions.push_back(definition(tagOf(i)));
        }
        AlarmModel model(std::move(definitions));
        model.shelve(tagOf(0), 1h, kTechnician, "testing", at(0s));
        model.suppress(tagOf(1), "maintenance", at(0s));
        model.removeFromService(tagOf(2), kTechnician, "repair", at(0s));
        activateInTurn(model, 9, 1s); // 6 shown

        // Two shown activations begin chattering; the 18 after are absorbed.
        for (int i = 0; i < 20; ++i) {
            model.reportCondition("chatter.alarm", true, RunId(1), at(std::chrono::seconds(10 + 2 * i)));
            model.reportCondition("chatter.alarm", false, RunId(1), at(std::chrono::seconds(11 + 2 * i)));
        }
        QVERIFY(model.status("chatter.alarm")->isChattering);
        QCOMPARE(model.flood().activationsInWindow, std::size_t{8});
        QVERIFY(!model.flood().isFlooding);
    }

    void thresholdAndWindowAreConfigurable()
    {
        AlarmModel model = manyAlarms(AlarmFloodPolicy{2, 1min});
        activateInTurn(model, 2, 10s);
        QVERIFY(!model.flood().isFlooding);
        model.reportCondition(tagOf(2), true, RunId(3), at(59s));
        QVERIFY(model.flood().isFlooding);
        model.update(at(5min));
        QVERIFY(!model.flood().isFlooding);
        QCOMPARE(kinds(floodEvents(model)), (std::vector{AlarmEventKind::FloodBegan, AlarmEventKind::FloodEnded}));
    }

    void floodQueriesAnswerAsOfTheLatestTimeGiven()
    {
        AlarmModel model = manyAlarms();
        activateInTurn(model, 3, 1s);
        QCOMPARE(model.flood().activationsInWindow, std::size_t{3});
        model.update(at(10min + 500ms));
        QCOMPARE(model.flood().activationsInWindow, std::size_t{2});
    }
};

QTEST_GUILESS_MAIN(AlarmModelFloodTest)
#include "alarm_model_flood_test.moc"
