#include <QTest>

#include <chrono>
#include <algorithm>
#include <vector>

#include <waferscope/core/equipment/equipment_times.h>

using namespace waferscope::core;
using namespace std::chrono_literals;

namespace {

using Time = EquipmentTimes::Time;

const Time kStart = Time{} + std::chrono::hours(24 * 365 * 50);

EquipmentStateChange at(std::chrono::minutes offset, EquipmentState state)
{
    return {state, kStart + offset};
}

} // namespace

class EquipmentTimesTest : public QObject
{
    Q_OBJECT

private slots:
    void eachStateLastsUntilTheNextRecordAndAvailabilityFollowsE10()
    {
        // An 8-hour shift: 2 h standby, 4 h productive, 30 min unscheduled down, 1 h productive,
        // then scheduled down — and the console stops right after recording it.
        std::vector<EquipmentStateChange> records;
        const auto every5 = [&records](int from, int to, EquipmentState state) {
            for (int m = from; m < to; m += 5) {
                records.push_back(at(std::chrono::minutes(m), state));
            }
        };
        every5(0, 120, EquipmentState::Standby);
        every5(120, 360, EquipmentState::Productive);
        every5(360, 390, EquipmentState::UnscheduledDown);
        every5(390, 450, EquipmentState::Productive);
        records.push_back(at(450min, EquipmentState::ScheduledDown)); // then the console stops
        const EquipmentTimes times = equipmentTimes(records, kStart, kStart + 8h, 6min);
        QVERIFY(times.of(EquipmentState::Standby) == 2h);
        QVERIFY(times.of(EquipmentState::Productive) == 5h);
        QVERIFY(times.of(EquipmentState::UnscheduledDown) == 30min);
        QVERIFY(times.of(EquipmentState::ScheduledDown) == 6min); // its record is trusted 6 min
        QVERIFY(times.of(EquipmentState::Engineering) == 0min);
        QVERIFY(times.nonScheduled == 24min);                      // nothing recorded after that
        QVERIFY(times.operations() == 8h - 24min);
        QCOMPARE(times.availability(), (7.0 * 60) / (8.0 * 60 - 24));
        QCOMPARE(times.utilization(), (5.0 * 60) / (8.0 * 60 - 24));
    }

    void timeWithoutRecordsIsNonScheduled()
    {
        // The console ran from 1 h to 2 h only; its last record was repeated until it stopped.
        std::vector<EquipmentStateChange> records;
        for (int m = 60; m <= 115; m += 5) {
            records.push_back(at(std::chrono::minutes(m), EquipmentState::Engineering));
        }
        const EquipmentTimes times = equipmentTimes(records, kStart, kStart + 8h, 6min);
        QVERIFY(times.of(EquipmentState::Engineering) == 61min); // 60…115 min, then 6 min trusted
        QVERIFY(times.nonScheduled == 8h - 61min);
        QCOMPARE(times.availability(), 1.0);
        QCOMPARE(times.utilization(), 0.0);
    }

    void aStateEnteredBeforeThePeriodCountsFromItsStart()
    {
        const std::vector<EquipmentStateChange> records = {at(-3min, EquipmentState::UnscheduledDown),
                                                           at(2min, EquipmentState::Standby),
                                                           at(20min, EquipmentState::Productive)};
        const EquipmentTimes times = equipmentTimes(records, kStart, kStart + 10min, 6min);
        QVERIFY(times.of(EquipmentState::UnscheduledDown) == 2min);
        QVERIFY(times.of(EquipmentState::Standby) == 6min);
        QVERIFY(times.of(EquipmentState::Productive) == 0min); // after the period
        QVERIFY(times.nonScheduled == 2min);
    }

    void aPeriodWithNothingRecordedHasNoAvailability()
    {
        const EquipmentTimes times = equipmentTimes({}, kStart, kStart + 1h, 6min);
        QVERIFY(times.nonScheduled == 1h);
        QCOMPARE(times.availability(), 0.0);
        QCOMPARE(times.utilization(), 0.0);
    }

    void aStateIsStoredAsATelemetrySampleAndReadBack()
    {
        const EquipmentStateChange change{EquipmentState::ScheduledDown, kStart};
        const TelemetrySample sample = toSample(change);
        QCOMPARE(sample.channel, std::string("equipment.state"));
        QCOMPARE(sample.value, 3.0);
        QVERIFY(!sample.runId.isValid());
        QCOMPARE(equipmentStateOf(sample), std::optional<EquipmentStateChange>(change));
        TelemetrySample other = sample;
        other.value = 9;
        QVERIFY(!equipmentStateOf(other));
        other = sample;
        other.channel = "vacuum.kpa";
        QVERIFY(!equipmentStateOf(other));
        for (const EquipmentState state : kAllEquipmentStates) {
            QCOMPARE(parseEquipmentState(toText(state)), std::optional<EquipmentState>(state));
        }
        QCOMPARE(toText(EquipmentState::UnscheduledDown), std::string_view("unscheduled-down"));
    }
};

QTEST_GUILESS_MAIN(EquipmentTimesTest)
#include "equipment_times_test.moc"
