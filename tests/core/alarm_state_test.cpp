#include <QTest>

#include <set>
#include <string>

#include <waferscope/core/alarms/alarm_state.h>

using waferscope::core::AlarmState;
using waferscope::core::isActive;
using waferscope::core::isTracked;
using waferscope::core::kAllAlarmStates;
using waferscope::core::parseAlarmState;

class AlarmStateTest : public QObject
{
    Q_OBJECT

private slots:
    void theFiveLifeCycleStatesAreTrackedAndTheThreeThatHideAreNot()
    {
        std::set<AlarmState> tracked;
        for (const AlarmState state : kAllAlarmStates) {
            if (isTracked(state)) {
                tracked.insert(state);
            }
        }
        QVERIFY((tracked == std::set<AlarmState>{AlarmState::Normal, AlarmState::Unacknowledged,
                                                 AlarmState::Acknowledged, AlarmState::ReturnedUnacknowledged,
                                                 AlarmState::Latched}));
        QVERIFY(!isTracked(AlarmState::Shelved));
        QVERIFY(!isTracked(AlarmState::Suppressed));
        QVERIFY(!isTracked(AlarmState::OutOfService));
    }

    void onlyUnacknowledgedAndAcknowledgedAreActive()
    {
        for (const AlarmState state : kAllAlarmStates) {
            QCOMPARE(isActive(state), state == AlarmState::Unacknowledged || state == AlarmState::Acknowledged);
        }
    }

    void everyStateHasADistinctLowerCaseName()
    {
        std::set<std::string_view> names;
        for (const AlarmState state : kAllAlarmStates) {
            const std::string_view name = toText(state);
            QVERIFY(!name.empty());
            for (const char c : name) {
                QVERIFY((c >= 'a' && c <= 'z') || c == '-');
            }
            names.insert(name);
        }
        QCOMPARE(names.size(), std::size(kAllAlarmStates));
        QCOMPARE(toText(AlarmState::ReturnedUnacknowledged), std::string_view("returned-unacknowledged"));
    }

    void parseReadsEveryNameBack()
    {
        for (const AlarmState state : kAllAlarmStates) {
            QVERIFY(parseAlarmState(toText(state)) == state);
        }
    }

    void unknownNameGivesNothing()
    {
        QVERIFY(!parseAlarmState("UNACK").has_value());
        QVERIFY(!parseAlarmState("").has_value());
    }
};

QTEST_GUILESS_MAIN(AlarmStateTest)
#include "alarm_state_test.moc"
