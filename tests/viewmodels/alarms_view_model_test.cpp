#include <QSignalSpy>
#include <QTest>

#include <waferscope/viewmodels/alarms/alarms_view_model.h>

#include <waferscope/testing/wait_until.h>

#include "fake_rig.h"

using waferscope::testing::FakeRig;
using waferscope::testing::waitUntil;
using waferscope::viewmodels::AlarmsViewModel;
using waferscope::viewmodels::AlarmTableModel;
using waferscope::viewmodels::SessionViewModel;

namespace {

/// The heartbeat is lost from the start: its alarm comes without a run.
const std::string kHeartbeatLost = waferscope::testing::FakeEngine::kHeartbeatLost;
const QString kTag = QStringLiteral("heartbeat.lost");

const AlarmTableModel::Row *rowOf(const AlarmsViewModel &alarms, const QString &tag)
{
    auto &rows = const_cast<AlarmsViewModel &>(alarms).table()->rows();
    for (const auto &row : rows) {
        if (row.tag == tag) {
            return &row;
        }
    }
    return nullptr;
}

} // namespace

class AlarmsViewModelTest : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void anActiveAlarmIsInTheTableAndTheBanner()
    {
        FakeRig rig;
        rig.engine.setCondition(kHeartbeatLost, true);
        SessionViewModel session(rig.services());
        AlarmsViewModel alarms(rig.services(), session);
        QVERIFY(waitUntil([&] { return alarms.hasBanner(); }));
        QCOMPARE(alarms.bannerTag(), kTag);
        QVERIFY(!alarms.bannerText().isEmpty());
        QCOMPARE(alarms.unacknowledgedCount(), 1);
        const auto *row = rowOf(alarms, kTag);
        QVERIFY(row != nullptr);
        QVERIFY(row->isUnacknowledged);
        QCOMPARE(row->state, QString("unacknowledged"));
        QVERIFY(!row->time.isEmpty());
    }

    void anOperatorCannotAcknowledgeThroughTheViewModel()
    {
        FakeRig rig;
        rig.engine.setCondition(kHeartbeatLost, true);
        SessionViewModel session(rig.services());
        AlarmsViewModel alarms(rig.services(), session);
        QVERIFY(waitUntil([&] { return alarms.hasBanner(); }));
        QVERIFY(QCoro::waitFor(session.loginTask("operator", "operator")));
        QVERIFY(!QCoro::waitFor(alarms.acknowledgeTask(kTag, "")));
        QVERIFY(alarms.errorText().contains("operator"));
        QVERIFY(!QCoro::waitFor(alarms.acknowledgeAllShownTask("")));
        QVERIFY(!QCoro::waitFor(alarms.shelveTask(kTag, 10, "noisy")));
        QTest::qWait(300);
        alarms.refresh();
        QVERIFY(rowOf(alarms, kTag)->isUnacknowledged);
        QVERIFY(!rowOf(alarms, kTag)->isShelved);
        QVERIFY(alarms.hasBanner());
    }

    void aTechnicianAcknowledgesAndItIsAuditedWithTheirName()
    {
        FakeRig rig;
        rig.engine.setCondition(kHeartbeatLost, true);
        SessionViewModel session(rig.services());
        AlarmsViewModel alarms(rig.services(), session);
        QVERIFY(waitUntil([&] { return alarms.hasBanner(); }));
        QVERIFY(QCoro::waitFor(session.loginTask("technician", "technician")));
        QVERIFY(QCoro::waitFor(alarms.acknowledgeTask(kTag, "checking the controller")));
        QVERIFY(alarms.errorText().isEmpty());
        QVERIFY(!rowOf(alarms, kTag)->isUnacknowledged);
        QCOMPARE(rowOf(alarms, kTag)->state, QString("acknowledged"));
        QVERIFY(rowOf(alarms, kTag)->detail.contains("technician"));
        QVERIFY(!alarms.hasBanner());
        const auto audit = rig.audit();
        QCOMPARE(audit.front().action, std::string("alarm.acknowledge"));
        QCOMPARE(audit.front().userName, std::string("technician"));
        QVERIFY(audit.front().detail.find("heartbeat.lost") != std::string::npos);
        // The history saw both changes.
        QVERIFY(alarms.history()->rowCount() >= 2);
    }

    void shelvingNeedsAReasonAndHidesTheAlarmUntilUnshelved()
    {
        FakeRig rig;
        rig.engine.setCondition(kHeartbeatLost, true);
        SessionViewModel session(rig.services());
        AlarmsViewModel alarms(rig.services(), session);
        QVERIFY(waitUntil([&] { return alarms.hasBanner(); }));
        QVERIFY(QCoro::waitFor(session.loginTask("technician", "technician")));
        QVERIFY(!QCoro::waitFor(alarms.shelveTask(kTag, 30, "  ")));
        QVERIFY(alarms.errorText().contains("reason"));
        QVERIFY(!QCoro::waitFor(alarms.shelveTask(kTag, 0, "maintenance")));
        QVERIFY(QCoro::waitFor(alarms.shelveTask(kTag, 30, "controller being replaced")));
        QVERIFY(rowOf(alarms, kTag)->isShelved);
        QVERIFY(rowOf(alarms, kTag)->detail.contains("controller being replaced"));
        QVERIFY(!alarms.hasBanner());
        QVERIFY(QCoro::waitFor(alarms.unshelveTask(kTag)));
        QVERIFY(!rowOf(alarms, kTag)->isShelved);
        QVERIFY(alarms.hasBanner());
        const auto audit = rig.audit();
        QCOMPARE(audit.at(0).action, std::string("alarm.unshelve"));
        QCOMPARE(audit.at(1).action, std::string("alarm.shelve"));
        QVERIFY(audit.at(1).detail.find("30 min") != std::string::npos);
    }

    void theHistoryFiltersByPriorityAndText()
    {
        FakeRig rig;
        rig.engine.setCondition(kHeartbeatLost, true);
        SessionViewModel session(rig.services());
        AlarmsViewModel alarms(rig.services(), session);
        QVERIFY(waitUntil([&] { return alarms.history()->rowCount() > 0; }));
        alarms.setHistoryFilter("heartbeat");
        QVERIFY(alarms.history()->rowCount() > 0);
        alarms.setHistoryFilter("no such alarm");
        QCOMPARE(alarms.history()->rowCount(), 0);
        alarms.setHistoryFilter("");
        using waferscope::viewmodels::AlarmHistoryModel;
        const QString priority =
            alarms.history()->data(alarms.history()->index(0), AlarmHistoryModel::PriorityRole).toString();
        QCOMPARE(priority, QString("critical"));
        alarms.setHistoryPriority("critical");
        QVERIFY(alarms.history()->rowCount() > 0);
        alarms.setHistoryPriority("low");
        QCOMPARE(alarms.history()->rowCount(), 0);
        alarms.setHistoryPriority("");
        QVERIFY(alarms.history()->rowCount() > 0);
    }
};

QTEST_GUILESS_MAIN(AlarmsViewModelTest)
#include "alarms_view_model_test.moc"
