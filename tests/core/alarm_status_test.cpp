#include <QTest>

#include <waferscope/core/alarms/alarm_status.h>

#include "alarm_fixtures.h"

using waferscope::core::AlarmAudit;
using waferscope::core::AlarmState;
using waferscope::core::AlarmStatus;
using namespace waferscope::testing::alarms;

class AlarmStatusTest : public QObject
{
    Q_OBJECT

private slots:
    void aNormalAlarmIsNotAnnunciated()
    {
        AlarmStatus status;
        QVERIFY(!status.isAnnunciated());
    }

    void anyTrackedStateButNormalIsAnnunciatedWhenNothingHidesIt()
    {
        for (const AlarmState state : {AlarmState::Unacknowledged, AlarmState::Acknowledged,
                                       AlarmState::ReturnedUnacknowledged, AlarmState::Latched}) {
            AlarmStatus status;
            status.trackedState = state;
            status.state = state;
            QVERIFY(status.isAnnunciated());
        }
    }

    void shelvingSuppressionOrRemovalFromServiceHideIt()
    {
        AlarmStatus shelved;
        shelved.trackedState = AlarmState::Unacknowledged;
        shelved.shelve = AlarmAudit{kTechnician, at(0ms), "sensor swap"};
        QVERIFY(shelved.isShelved());
        QVERIFY(!shelved.isAnnunciated());

        AlarmStatus suppressed;
        suppressed.trackedState = AlarmState::Unacknowledged;
        suppressed.suppressedSince = at(0ms);
        QVERIFY(suppressed.isSuppressed());
        QVERIFY(!suppressed.isAnnunciated());

        AlarmStatus outOfService;
        outOfService.trackedState = AlarmState::Unacknowledged;
        outOfService.outOfService = AlarmAudit{kTechnician, at(0ms), "sensor broken"};
        QVERIFY(outOfService.isOutOfService());
        QVERIFY(!outOfService.isAnnunciated());
    }
};

QTEST_GUILESS_MAIN(AlarmStatusTest)
#include "alarm_status_test.moc"
