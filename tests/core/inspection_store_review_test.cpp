#include <QTest>

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include <waferscope/core/alarms/alarm_event.h>
#include <waferscope/core/defect_class.h>
#include <waferscope/core/persistence/inspection_store.h>
#include <waferscope/core/persistence/store_error.h>

#include "store_fixtures.h"

using waferscope::core::AlarmActor;
using waferscope::core::AlarmEventKind;
using waferscope::core::AlarmEventRecord;
using waferscope::core::AlarmPriority;
using waferscope::core::AlarmState;
using waferscope::core::AlarmTime;
using waferscope::core::AuditEntry;
using waferscope::core::DefectClass;
using waferscope::core::DefectRecord;
using waferscope::core::InspectionStore;
using waferscope::core::RunId;
using waferscope::core::RunState;
using waferscope::core::RunSummary;
using waferscope::core::WaferId;
using waferscope::core::WaferRecord;
using namespace waferscope::testing::store;

namespace {

AlarmEventRecord alarmEvent(std::uint64_t sequence, RunId run, std::int64_t second, std::string tag)
{
    AlarmEventRecord record;
    record.event.sequence = sequence;
    record.event.kind = AlarmEventKind::Acknowledged;
    record.event.tag = std::move(tag);
    record.event.priority = AlarmPriority::Medium;
    record.event.from = AlarmState::Unacknowledged;
    record.event.to = AlarmState::Acknowledged;
    record.event.trackedFrom = AlarmState::Unacknowledged;
    record.event.trackedTo = AlarmState::Acknowledged;
    record.event.at = AlarmTime{} + std::chrono::seconds(second);
    record.event.runId = run;
    record.event.actor = AlarmActor{"tina", "technician"};
    record.event.comment = "checked the pump";
    record.occurredAt = at(second);
    return record;
}

/// A store holding run 1 (ended) with wafer W-1 and defects 1 … 4.
void storeEndedRun(InspectionStore &store, RunState state = RunState::Completed)
{
    store.beginRun(runRecord(1, 0));
    const WaferRecord wafer = waferRecord(RunId(1), 1);
    store.beginWafer(wafer);
    std::ignore = store.insertDefects(defects(1, 4, RunId(1), wafer.waferId));
    if (isFinal(state)) {
        store.endRun(RunId(1), state, "all wafers inspected", at(60));
    }
}

} // namespace

/// The store's reads and the one change behind the console's review of the past: alarm events of
/// every run, who started a run, one defect by id, and a defect's class changed after review.
class InspectionStoreReviewTest : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void recentAlarmEventsAreOfEveryRunAndNoneNewestFirstAndLimited()
    {
        const StoreFolder folder;
        InspectionStore store(folder.file());
        const std::vector<AlarmEventRecord> events = {alarmEvent(1, RunId(3), 10, "vacuum.low"),
                                                      alarmEvent(2, RunId{}, 30, "heartbeat.lost"),
                                                      alarmEvent(3, RunId(4), 20, "lamp.dim"),
                                                      alarmEvent(4, RunId(3), 30, "stage.limit")};
        store.insertAlarmEvents(events);
        // Same time: the one stored later is newer.
        QCOMPARE(store.recentAlarmEvents(10),
                 (std::vector<AlarmEventRecord>{events[3], events[1], events[2], events[0]}));
        QCOMPARE(store.recentAlarmEvents(2), (std::vector<AlarmEventRecord>{events[3], events[1]}));
        QCOMPARE(store.recentAlarmEvents(0), std::vector<AlarmEventRecord>());
    }

    void alarmEventsOfAPeriodAreOldestFirstWithBothEndsIncluded()
    {
        const StoreFolder folder;
        InspectionStore store(folder.file());
        const std::vector<AlarmEventRecord> events = {alarmEvent(1, RunId(3), 10, "vacuum.low"),
                                                      alarmEvent(2, RunId{}, 30, "heartbeat.lost"),
                                                      alarmEvent(3, RunId(4), 20, "lamp.dim"),
                                                      alarmEvent(4, RunId(3), 40, "stage.limit")};
        store.insertAlarmEvents(events);
        QCOMPARE(store.alarmEventsBetween(at(20), at(30), 10),
                 (std::vector<AlarmEventRecord>{events[2], events[1]}));
        QCOMPARE(store.alarmEventsBetween(at(0), at(100), 3),
                 (std::vector<AlarmEventRecord>{events[0], events[2], events[1]}));
        QCOMPARE(store.alarmEventsBetween(at(41), at(100), 10), std::vector<AlarmEventRecord>());
    }

    void aRunSummaryNamesWhoStartedItFromTheLastStartAuditedForItsLotBeforeIt()
    {
        const StoreFolder folder;
        InspectionStore store(folder.file());
        store.appendAudit(std::vector<AuditEntry>{
            {"olga", "operator", at(5), "run.start", "lot LOT1, 1 wafer(s), recipe quick-200mm"},
            {"eric", "engineer", at(8), "run.start", "lot LOT1, 2 wafer(s), recipe quick-200mm"},
            {"host", "host", at(9), "run.start", "lot LOT10, 1 wafer(s), recipe quick-200mm"},
            {"olga", "operator", at(9), "run.pause", "lot LOT1, 1 wafer(s)"},
            {"adam", "admin", at(20), "run.start", "lot LOT1, 1 wafer(s), recipe quick-200mm"},
        });
        store.beginRun(runRecord(1, 10));
        store.beginRun(runRecord(2, 30));

        const std::vector<RunSummary> runs = store.runs(10);
        QCOMPARE(runs.size(), std::size_t(2));
        QCOMPARE(runs[1].run.id, RunId(1));
        // Not LOT10's start, not an entry after the run began, not another action.
        QCOMPARE(runs[1].startedBy, std::string("eric"));
        QCOMPARE(runs[0].run.id, RunId(2));
        QCOMPARE(runs[0].startedBy, std::string(""));
    }

    void aDefectIsReadByItsIdAndAnUnknownIdGivesNone()
    {
        const StoreFolder folder;
        InspectionStore store(folder.file());
        storeEndedRun(store);
        QCOMPARE(store.defect(3), std::optional<DefectRecord>(defect(3, RunId(1), WaferId("W-1"))));
        QCOMPARE(store.defect(99), std::optional<DefectRecord>());
    }

    void reclassifyingADefectOfAnEndedRunChangesOnlyItsClassAndGivesTheOldOne()
    {
        const StoreFolder folder;
        InspectionStore store(folder.file());
        storeEndedRun(store, RunState::Aborted);
        const DefectRecord before = defect(2, RunId(1), WaferId("W-1"));
        const DefectClass newClass =
            before.defectClass == DefectClass::Scratch ? DefectClass::Bridge : DefectClass::Scratch;

        QCOMPARE(store.reclassifyDefect(2, newClass), before.defectClass);

        DefectRecord expected = before;
        expected.defectClass = newClass;
        QCOMPARE(store.defect(2), std::optional<DefectRecord>(expected));
        QCOMPARE(store.defect(1), std::optional<DefectRecord>(defect(1, RunId(1), WaferId("W-1"))));
    }

    void reclassifyingAnUnknownDefectIsRefusedNamingItsId()
    {
        const StoreFolder folder;
        InspectionStore store(folder.file());
        storeEndedRun(store);
        const auto error = storeErrorOf([&] { std::ignore = store.reclassifyDefect(42, DefectClass::Scratch); });
        QVERIFY(error);
        QVERIFY2(contains(error->what(), "no defect has id 42"), error->what());
    }

    void reclassifyingADefectOfARunStillGoingIsRefusedAndChangesNothing()
    {
        const StoreFolder folder;
        InspectionStore store(folder.file());
        storeEndedRun(store, RunState::Running);
        const auto error = storeErrorOf([&] { std::ignore = store.reclassifyDefect(1, DefectClass::Scratch); });
        QVERIFY(error);
        QVERIFY2(contains(error->what(), "defect 1") && contains(error->what(), "has not ended"), error->what());
        QCOMPARE(store.defect(1), std::optional<DefectRecord>(defect(1, RunId(1), WaferId("W-1"))));
    }
};

QTEST_GUILESS_MAIN(InspectionStoreReviewTest)
#include "inspection_store_review_test.moc"
