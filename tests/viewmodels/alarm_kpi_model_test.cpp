#include <QFile>
#include <QSignalSpy>
#include <QTest>

#include <chrono>
#include <string>
#include <vector>

#include <waferscope/core/persistence/inspection_store.h>
#include <waferscope/viewmodels/alarms/alarm_kpi_model.h>

#include "fake_rig.h"

using waferscope::core::AlarmActor;
using waferscope::core::AlarmEventKind;
using waferscope::core::AlarmEventRecord;
using waferscope::core::AlarmPriority;
using waferscope::testing::FakeEngine;
using waferscope::testing::FakeRig;
using waferscope::viewmodels::AlarmKpiModel;

namespace {

using namespace std::chrono_literals;

AlarmEventRecord eventOf(AlarmEventKind kind, std::string tag, std::chrono::system_clock::duration ago,
                       AlarmPriority priority = AlarmPriority::High, std::string user = {})
{
    AlarmEventRecord record;
    record.event.kind = kind;
    record.event.tag = std::move(tag);
    record.event.priority = priority;
    if (!user.empty()) {
        record.event.actor = AlarmActor{std::move(user), "technician"};
    }
    record.occurredAt = std::chrono::system_clock::now() - ago;
    return record;
}

/// A shift's worth of alarms in the store: a flood of 12 vacuum alarms 20 s apart 59 min ago
/// (chattering too), 3 lamp alarms 2, 4 and 6 hours ago, one acknowledged by tina; and one
/// activation two days ago, outside every period but the week.
void storeShift(const std::filesystem::path &database)
{
    std::vector<AlarmEventRecord> events;
    for (int i = 0; i < 12; ++i) {
        events.push_back(eventOf(AlarmEventKind::Activated, "vacuum.low", 59min - std::chrono::seconds(20 * i),
                               AlarmPriority::Critical));
    }
    for (int i = 0; i < 3; ++i) {
        events.push_back(eventOf(AlarmEventKind::Activated, "lamp.dim", std::chrono::hours(2 * i + 2) + 5min,
                               AlarmPriority::Low));
    }
    events.push_back(eventOf(AlarmEventKind::Acknowledged, "lamp.dim", 50min, AlarmPriority::Low, "tina"));
    events.push_back(eventOf(AlarmEventKind::Activated, "encoder.error", 48h));
    waferscope::core::InspectionStore store(database);
    store.insertAlarmEvents(events);
}

} // namespace

/// The alarm KPIs read the period's events from the store and show them with ISA-18.2's verdicts.
class AlarmKpiModelTest : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void aShiftWithAFloodIsMeasuredAgainstTheTargets()
    {
        FakeRig rig;
        storeShift(rig.engine.databaseFile());
        rig.engine.setCondition(FakeEngine::kHeartbeatLost, true); // standing now
        AlarmKpiModel kpis(rig.services());
        QCOMPARE(kpis.periodIndex(), 1); // a shift by default
        QVERIFY(QCoro::waitFor(kpis.refreshTask()));
        QCOMPARE(kpis.errorText(), QString());
        QVERIFY2(kpis.periodText().endsWith("15 alarm(s)"), qPrintable(kpis.periodText()));
        QCOMPARE(kpis.rateText(), QString("1.9 an hour")); // 15 in 8 h
        QCOMPARE(kpis.rateTone(), QString("ok"));
        QVERIFY2(kpis.peakText().startsWith("12 in the busiest 10 minutes"), qPrintable(kpis.peakText()));
        QCOMPARE(kpis.peakTone(), QString("alarm"));
        QVERIFY2(kpis.floodText().startsWith("1 flood(s)"), qPrintable(kpis.floodText()));
        QCOMPARE(kpis.floodTone(), QString("alarm")); // the flood lasts over 1 % of 8 h
        QCOMPARE(kpis.floods().size(), 1);
        QCOMPARE(kpis.floods().front().toMap().value("activations").toInt(), 12);
        QCOMPARE(kpis.badActors().size(), 2);
        QCOMPARE(kpis.badActors().front().toMap().value("tag").toString(), QString("vacuum.low"));
        QCOMPARE(kpis.badActors().front().toMap().value("share").toString(), QString("80 %"));
        QCOMPARE(kpis.badActors().front().toMap().value("priority").toString(), QString("Critical"));
        QCOMPARE(kpis.chattering().size(), 1);
        QCOMPARE(kpis.chattering().front().toMap().value("episodes").toInt(), 4); // 12 in bursts of 3
        QCOMPARE(kpis.chatteringTone(), QString("alarm"));
        QCOMPARE(kpis.standing().size(), 1);
        QCOMPARE(kpis.standing().front().toMap().value("tag").toString(), QString(FakeEngine::kHeartbeatLost));
        QCOMPARE(kpis.standing().front().toMap().value("stale").toBool(), false);
        QCOMPARE(kpis.standingTone(), QString("ok"));
        QCOMPARE(kpis.users().size(), 1);
        QCOMPARE(kpis.users().front().toMap().value("user").toString(), QString("tina"));
        QCOMPARE(kpis.users().front().toMap().value("acknowledgements").toInt(), 1);
        QVERIFY2(kpis.priorityText().startsWith("Critical 80 % · high 0 % · medium 0 % · low 20 %"),
                 qPrintable(kpis.priorityText()));
    }

    void anotherPeriodIsReadAgain()
    {
        FakeRig rig;
        storeShift(rig.engine.databaseFile());
        AlarmKpiModel kpis(rig.services());
        QSignalSpy periodChanged(&kpis, &AlarmKpiModel::periodIndexChanged);
        kpis.setPeriodIndex(3); // the week: the encoder alarm two days ago counts too
        QCOMPARE(periodChanged.count(), 1);
        QVERIFY(QCoro::waitFor(kpis.refreshTask()));
        QVERIFY2(kpis.periodText().endsWith("16 alarm(s)"), qPrintable(kpis.periodText()));
        kpis.setPeriodIndex(0); // the last hour: only the flood
        QVERIFY(QCoro::waitFor(kpis.refreshTask()));
        QVERIFY2(kpis.periodText().endsWith("12 alarm(s)"), qPrintable(kpis.periodText()));
        QCOMPARE(kpis.rateTone(), QString("warning")); // 12 an hour: the most that is manageable
        kpis.setPeriodIndex(7); // out of range: ignored
        QCOMPARE(kpis.periodIndex(), 0);
    }

    void anUnreadableStoreSaysSo()
    {
        FakeRig rig;
        {
            QFile garbage(QString::fromStdString(rig.engine.databaseFile().string()));
            QVERIFY(garbage.open(QIODevice::WriteOnly));
            garbage.write(QByteArray(8192, 'x'));
        }
        AlarmKpiModel kpis(rig.services());
        QVERIFY(!QCoro::waitFor(kpis.refreshTask()));
        QVERIFY2(kpis.errorText().startsWith("The alarm events cannot be read"), qPrintable(kpis.errorText()));
    }
};

QTEST_GUILESS_MAIN(AlarmKpiModelTest)
#include "alarm_kpi_model_test.moc"
