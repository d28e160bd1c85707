#include <QTest>

#include <chrono>
#include <vector>

#include <waferscope/core/persistence/inspection_store.h>
#include <waferscope/viewmodels/machine/equipment_times_model.h>

#include "fake_rig.h"

using waferscope::core::EquipmentState;
using waferscope::core::EquipmentStateChange;
using waferscope::testing::FakeRig;
using waferscope::viewmodels::EquipmentTimesModel;

namespace {

using namespace std::chrono_literals;

std::chrono::system_clock::time_point systemTime(const QDateTime &at)
{
    return std::chrono::system_clock::time_point{} + std::chrono::milliseconds(at.toMSecsSinceEpoch());
}

/// Records every 5 minutes of `state` over [from, to).
void every5(std::vector<EquipmentStateChange> &records, const QDateTime &from, const QDateTime &to, EquipmentState state)
{
    for (QDateTime t = from; t < to; t = t.addSecs(300)) {
        records.push_back({state, systemTime(t)});
    }
}

} // namespace

/// The Machine page's E10 account: the shifts of the last 7 days, each with its time in state.
class EquipmentTimesModelTest : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void shiftsStartAtSixFourteenAndTwentyTwoLocalTime()
    {
        const QDate day(2026, 12, 7);
        QCOMPARE(EquipmentTimesModel::shiftStart(QDateTime(day, QTime(5, 59))), QDateTime(day.addDays(-1), QTime(22, 0)));
        QCOMPARE(EquipmentTimesModel::shiftStart(QDateTime(day, QTime(6, 0))), QDateTime(day, QTime(6, 0)));
        QCOMPARE(EquipmentTimesModel::shiftStart(QDateTime(day, QTime(13, 59))), QDateTime(day, QTime(6, 0)));
        QCOMPARE(EquipmentTimesModel::shiftStart(QDateTime(day, QTime(14, 0))), QDateTime(day, QTime(14, 0)));
        QCOMPARE(EquipmentTimesModel::shiftStart(QDateTime(day, QTime(23, 30))), QDateTime(day, QTime(22, 0)));
    }

    void eachShiftShowsItsTimeInStateAndAvailabilityNewestFirst()
    {
        FakeRig rig;
        EquipmentTimesModel model(rig.services());
        // Now: 10:00 in an early shift. The night shift before ran productive from 22:00 to 02:00,
        // then was unscheduled down until 03:00; the console was off until 06:00; this shift is on
        // standby since 06:00.
        const QDate day(2026, 12, 7);
        const QDateTime now(day, QTime(10, 0));
        std::vector<EquipmentStateChange> records;
        every5(records, QDateTime(day.addDays(-1), QTime(22, 0)), QDateTime(day, QTime(2, 0)), EquipmentState::Productive);
        every5(records, QDateTime(day, QTime(2, 0)), QDateTime(day, QTime(3, 0)), EquipmentState::UnscheduledDown);
        every5(records, QDateTime(day, QTime(6, 0)), now, EquipmentState::Standby);
        model.show(records, now);

        const QVariantList shifts = model.shifts();
        QCOMPARE(shifts.size(), 1 + 7 * 3); // this one and 7 days of three
        const QVariantMap current = shifts[0].toMap();
        QVERIFY2(current["shift"].toString().endsWith("early, 06:00–14:00 (now)"), qPrintable(current["shift"].toString()));
        QCOMPARE(current["standby"].toString(), QString("4 h 0 min"));
        QCOMPARE(current["productive"].toString(), QString("0 s"));
        QCOMPARE(current["availability"].toString(), QString("100.0 %"));
        QCOMPARE(model.availabilityText(), QString("100.0 %"));
        QCOMPARE(model.utilizationText(), QString("0.0 %"));

        const QVariantMap night = shifts[1].toMap();
        QVERIFY2(night["shift"].toString().endsWith("night, 22:00–06:00"), qPrintable(night["shift"].toString()));
        QCOMPARE(night["productive"].toString(), QString("4 h 0 min"));
        // The last down record (02:55) is trusted 6 min: down until 03:01.
        QCOMPARE(night["unscheduledDown"].toString(), QString("1 h 1 min"));
        QCOMPARE(night["nonScheduled"].toString(), QString("2 h 59 min"));
        QCOMPARE(night["availability"].toString(), QString("79.7 %")); // 240 of 301 min
        QCOMPARE(night["utilization"].toString(), QString("79.7 %"));

        const QVariantMap late = shifts[2].toMap();
        QCOMPARE(late["nonScheduled"].toString(), QString("8 h 0 min"));
        QCOMPARE(late["availability"].toString(), QString("–"));
    }

    void refreshReadsTheRecordsTheMachineStored()
    {
        FakeRig rig;
        {
            waferscope::core::InspectionStore store(rig.engine.databaseFile());
            const auto now = std::chrono::system_clock::now();
            std::vector<waferscope::core::TelemetrySample> samples;
            for (int i = 12; i >= 1; --i) {
                samples.push_back(waferscope::core::toSample({EquipmentState::Engineering, now - std::chrono::minutes(5 * i)}));
            }
            samples.push_back({waferscope::core::RunId{}, "vacuum.kpa", now - 1min, 80.0}); // another channel
            store.insertTelemetry(samples);
        }
        EquipmentTimesModel model(rig.services());
        QVERIFY(QCoro::waitFor(model.refreshTask()));
        QCOMPARE(model.errorText(), QString());
        // The hour before now was engineering: it lies in this shift or the one before; nothing
        // else was recorded (the vacuum sample is another channel).
        int engineeringShifts = 0;
        for (const QVariant &shift : model.shifts()) {
            const QVariantMap row = shift.toMap();
            engineeringShifts += row["engineering"].toString() != QString("0 s") ? 1 : 0;
            QCOMPARE(row["productive"].toString(), QString("0 s"));
            QCOMPARE(row["standby"].toString(), QString("0 s"));
        }
        QVERIFY(engineeringShifts == 1 || engineeringShifts == 2);
    }
};

QTEST_GUILESS_MAIN(EquipmentTimesModelTest)
#include "equipment_times_model_test.moc"
