#include <QSqlDatabase>
#include <QTest>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include <waferscope/core/alarms/alarm_event.h>
#include <waferscope/core/persistence/inspection_store.h>
#include <waferscope/core/persistence/store_error.h>

#include "raw_sql_connection.h"
#include "store_fixtures.h"

using waferscope::core::AlarmActor;
using waferscope::core::AlarmEvent;
using waferscope::core::AlarmEventKind;
using waferscope::core::AlarmEventRecord;
using waferscope::core::AlarmPriority;
using waferscope::core::AlarmState;
using waferscope::core::AlarmTime;
using waferscope::core::AuditEntry;
using waferscope::core::DefectRecord;
using waferscope::core::InspectionStore;
using waferscope::core::RunId;
using waferscope::core::RunRecord;
using waferscope::core::RunState;
using waferscope::core::RunSummary;
using waferscope::core::StoreError;
using waferscope::core::TelemetrySample;
using waferscope::core::WaferId;
using waferscope::core::WaferRecord;
using namespace waferscope::testing::store;

namespace {

const RunId kRun{7};

AlarmEventRecord alarmEvent(std::uint64_t sequence, RunId run, std::int64_t second)
{
    AlarmEventRecord record;
    AlarmEvent &event = record.event;
    event.sequence = sequence;
    event.kind = AlarmEventKind::Shelved;
    event.tag = "vacuum.low";
    event.priority = AlarmPriority::High;
    event.from = AlarmState::Unacknowledged;
    event.to = AlarmState::Shelved;
    event.trackedFrom = AlarmState::Unacknowledged;
    event.trackedTo = AlarmState::Unacknowledged;
    event.at = AlarmTime{} + std::chrono::milliseconds(123456789 + second);
    event.runId = run;
    event.actor = AlarmActor{"alice", "technician"};
    event.comment = "pump service in progress";
    event.shelvedUntil = event.at + std::chrono::minutes(30);
    record.occurredAt = at(second);
    return record;
}

} // namespace

class InspectionStoreTest : public QObject
{
    Q_OBJECT

private slots:
    void openingANewFileCreatesSchemaVersionOneInWalMode()
    {
        const StoreFolder folder;
        QVERIFY(!std::filesystem::exists(folder.file()));
        const InspectionStore store(folder.file());
        QVERIFY(std::filesystem::exists(folder.file()));
        QCOMPARE(store.schemaVersion(), InspectionStore::kSchemaVersion);
        QCOMPARE(store.schemaVersion(), 1);
        QCOMPARE(store.journalMode(), std::string("wal"));
        QCOMPARE(store.synchronousMode(), std::string("normal"));
        QVERIFY(store.hasForeignKeys());
        QCOMPARE(store.integrityCheck(), std::string("ok"));

        // As any other program sees the file: WAL is recorded in it, and so is the version.
        RawSqlConnection raw(folder.file());
        QVERIFY(raw.isOpen());
        QCOMPARE(raw.scalar("PRAGMA user_version").toInt(), 1);
        QCOMPARE(raw.scalar("PRAGMA journal_mode").toString(), QString("wal"));
        for (const char *table : {"runs", "wafers", "defects", "alarm_events", "audit", "telemetry"}) {
            QVERIFY2(raw.scalar(QString("SELECT COUNT(*) FROM sqlite_schema WHERE type = 'table' AND name = '%1'")
                                    .arg(table))
                             .toInt() == 1,
                     table);
        }
    }

    void anEmptyExistingFileIsMigratedFromVersionZero()
    {
        const StoreFolder folder;
        std::ofstream(folder.file()).flush();
        QCOMPARE(std::filesystem::file_size(folder.file()), std::uintmax_t(0));
        const InspectionStore store(folder.file());
        QCOMPARE(store.schemaVersion(), 1);
        QVERIFY(store.runs(10).empty());
    }

    void reopeningKeepsEverythingStored()
    {
        const StoreFolder folder;
        const WaferRecord wafer = waferRecord(kRun, 1);
        const std::vector<DefectRecord> stored = defects(1, 50, kRun, wafer.waferId);
        const std::vector<AlarmEventRecord> events = {alarmEvent(1, kRun, 5)};
        const std::vector<AuditEntry> audit = {{"alice", "operator", at(1), "run.start", "lot LOT7, recipe quick-200mm"}};
        const std::vector<TelemetrySample> samples = {{kRun, "vacuum.kpa", at(2), 81.25}, {kRun, "lamp.percent", at(3), 80.5}};
        {
            InspectionStore store(folder.file());
            store.beginRun(runRecord(kRun.value()));
            store.beginWafer(wafer);
            QCOMPARE(store.insertDefects(stored).storedCount, stored.size());
            store.insertAlarmEvents(events);
            store.appendAudit(audit);
            store.insertTelemetry(samples);
        }
        const InspectionStore store(folder.file());
        QCOMPARE(store.schemaVersion(), 1);
        QCOMPARE(store.run(kRun), std::optional<RunRecord>(runRecord(kRun.value())));
        QCOMPARE(store.wafers(kRun), std::vector<WaferRecord>{wafer});
        QCOMPARE(store.defects(kRun), stored);
        QCOMPARE(store.alarmEvents(kRun), events);
        QCOMPARE(store.auditEntries(10), audit);
        QCOMPARE(store.telemetry(kRun), samples);
    }

    void aNewerSchemaIsRefusedNamingTheFileAndBothVersionsAndLeftAsItWas()
    {
        const StoreFolder folder;
        {
            RawSqlConnection raw(folder.file());
            QCOMPARE(raw.execute("CREATE TABLE future (x)"), std::string());
            QCOMPARE(raw.execute("PRAGMA user_version = 2"), std::string());
        }
        const std::optional<StoreError> error = storeErrorOf([&] { const InspectionStore store(folder.file()); });
        QVERIFY(error);
        QCOMPARE(error->file(), folder.file());
        QCOMPARE(error->action(), std::string("open"));
        QCOMPARE(error->problem(), std::string("its schema version 2 is newer than version 1, the newest this program knows"));
        QVERIFY2(contains(error->what(), folder.file().string()), error->what());

        RawSqlConnection raw(folder.file());
        QCOMPARE(raw.scalar("PRAGMA user_version").toInt(), 2);
        QCOMPARE(raw.scalar("PRAGMA journal_mode").toString(), QString("delete"));
        QCOMPARE(raw.scalar("SELECT COUNT(*) FROM sqlite_schema").toInt(), 1);
    }

    void aMigrationThatFailsLeavesTheSchemaAsItWas()
    {
        const StoreFolder folder;
        {
            // A table in the way of version 1's own, as another program might have left it.
            RawSqlConnection raw(folder.file());
            QCOMPARE(raw.execute("CREATE TABLE audit (note TEXT)"), std::string());
        }
        const std::optional<StoreError> error = storeErrorOf([&] { const InspectionStore store(folder.file()); });
        QVERIFY(error);
        QCOMPARE(error->action(), std::string("migrate the schema from version 0 to 1"));
        QVERIFY2(contains(error->problem(), "table audit already exists"), error->what());

        RawSqlConnection raw(folder.file());
        QCOMPARE(raw.scalar("PRAGMA user_version").toInt(), 0);
        QCOMPARE(raw.scalar("SELECT group_concat(name) FROM sqlite_schema").toString(), QString("audit"));
    }

    void aFileThatIsNotADatabaseIsRefusedNamingTheFile()
    {
        const StoreFolder folder;
        std::ofstream(folder.file()) << "this is a KLARF file, not a database, and it is long enough to have a header";
        const std::optional<StoreError> error = storeErrorOf([&] { const InspectionStore store(folder.file()); });
        QVERIFY(error);
        QCOMPARE(error->file(), folder.file());
        QVERIFY2(contains(error->problem(), "not a database"), error->what());
    }

    void aFileInAMissingFolderIsRefusedNamingTheFile()
    {
        const StoreFolder folder;
        const std::filesystem::path file = folder.file("missing") / "waferscope.sqlite";
        const std::optional<StoreError> error = storeErrorOf([&] { const InspectionStore store(file); });
        QVERIFY(error);
        QVERIFY2(contains(error->what(), file.string()), error->what());
        QCOMPARE(error->action(), std::string("open"));
        QVERIFY(!std::filesystem::exists(file));
    }

    void eachStoreHasItsOwnConnectionRemovedWhenTheStoreIsDestroyed()
    {
        const StoreFolder folder;
        std::string firstName;
        std::string secondName;
        {
            InspectionStore first(folder.file());
            InspectionStore second(folder.file());
            firstName = first.connectionName();
            secondName = second.connectionName();
            QVERIFY(firstName != secondName);
            QVERIFY(QSqlDatabase::contains(QString::fromStdString(firstName)));
            QVERIFY(QSqlDatabase::contains(QString::fromStdString(secondName)));

            // Several stores may have the same file open: each sees what the other committed.
            first.beginRun(runRecord(1));
            QCOMPARE(second.run(RunId(1)), std::optional<RunRecord>(runRecord(1)));
        }
        QVERIFY(!QSqlDatabase::contains(QString::fromStdString(firstName)));
        QVERIFY(!QSqlDatabase::contains(QString::fromStdString(secondName)));
    }

    void aStoreThatFailsToOpenLeavesNoConnectionBehind()
    {
        const StoreFolder folder;
        const QStringList before = QSqlDatabase::connectionNames();
        QVERIFY(storeErrorOf([&] { const InspectionStore store(folder.file("missing") / "x.sqlite"); }));
        QCOMPARE(QSqlDatabase::connectionNames(), before);
    }

    void aCallFromAnotherThreadThrowsAndTouchesNothing()
    {
        const StoreFolder folder;
        InspectionStore store(folder.file());
        std::string message;
        std::thread other([&] {
            try {
                store.beginRun(runRecord(1));
            } catch (const std::logic_error &error) {
                message = error.what();
            }
        });
        other.join();
        QVERIFY2(contains(message, "InspectionStore::beginRun called on another thread"), message.c_str());
        QVERIFY2(contains(message, folder.file().string()), message.c_str());
        QCOMPARE(store.run(RunId(1)), std::optional<RunRecord>());
    }

    void runsAreListedNewestFirstWithTheirWaferAndDefectCounts()
    {
        const StoreFolder folder;
        InspectionStore store(folder.file());
        store.beginRun(runRecord(1, 100));
        store.beginRun(runRecord(2, 300));
        store.beginRun(runRecord(3, 200));
        const WaferRecord first = waferRecord(RunId(2), 1);
        const WaferRecord second = waferRecord(RunId(2), 2);
        store.beginWafer(first);
        store.beginWafer(second);
        std::ignore = store.insertDefects(defects(1, 5, RunId(2), first.waferId));
        std::ignore = store.insertDefects(defects(6, 3, RunId(2), second.waferId));
        store.beginWafer(waferRecord(RunId(1), 1));
        std::ignore = store.insertDefects(defects(100, 2, RunId(1), WaferId("W-1")));

        const std::vector<RunSummary> all = store.runs(10);
        QCOMPARE(all.size(), std::size_t(3));
        QCOMPARE(all[0], (RunSummary{runRecord(2, 300), 2, 8}));
        QCOMPARE(all[1], (RunSummary{runRecord(3, 200), 0, 0}));
        QCOMPARE(all[2], (RunSummary{runRecord(1, 100), 1, 2}));

        const std::vector<RunSummary> newest = store.runs(2);
        QCOMPARE(newest.size(), std::size_t(2));
        QCOMPARE(newest[0].run.id, RunId(2));
        QCOMPARE(newest[1].run.id, RunId(3));
    }

    void defectsOfARunAndOfAWaferAreOrderedByIdAndCounted()
    {
        const StoreFolder folder;
        InspectionStore store(folder.file());
        store.beginRun(runRecord(kRun.value()));
        const WaferRecord first = waferRecord(kRun, 1);
        const WaferRecord second = waferRecord(kRun, 2);
        store.beginWafer(first);
        store.beginWafer(second);
        // Stored out of id order, and interleaved between the wafers.
        const std::vector<DefectRecord> batch = {defect(30, kRun, second.waferId), defect(10, kRun, first.waferId),
                                                 defect(20, kRun, second.waferId), defect(5, kRun, first.waferId)};
        QCOMPARE(store.insertDefects(batch).storedCount, std::size_t(4));

        QCOMPARE(store.defects(kRun), (std::vector<DefectRecord>{batch[3], batch[1], batch[2], batch[0]}));
        QCOMPARE(store.defects(kRun, first.waferId), (std::vector<DefectRecord>{batch[3], batch[1]}));
        QCOMPARE(store.defects(kRun, second.waferId), (std::vector<DefectRecord>{batch[2], batch[0]}));
        QCOMPARE(store.defectCount(kRun), std::int64_t(4));
        QCOMPARE(store.defectCount(kRun, first.waferId), std::int64_t(2));
        QCOMPARE(store.defectCount(RunId(8)), std::int64_t(0));
        QCOMPARE(store.defects(kRun, WaferId("W-9")), std::vector<DefectRecord>());
    }

    void aDefectWithoutAStagedImageReadsBackWithoutOne()
    {
        const StoreFolder folder;
        InspectionStore store(folder.file());
        store.beginRun(runRecord(kRun.value()));
        store.beginWafer(waferRecord(kRun, 1));
        const DefectRecord withImage = defect(1, kRun, WaferId("W-1"));
        const DefectRecord withoutImage = defect(2, kRun, WaferId("W-1"));
        QVERIFY(withImage.imagePath && !withoutImage.imagePath);
        std::ignore = store.insertDefects(std::vector<DefectRecord>{withImage, withoutImage});
        const std::vector<DefectRecord> read = store.defects(kRun);
        QCOMPARE(read.at(0).imagePath, withImage.imagePath);
        QCOMPARE(read.at(1).imagePath, std::optional<std::string>());
    }

    void alarmEventsReadBackPerRunWithBothTimesAndEventsWithoutARunApart()
    {
        const StoreFolder folder;
        InspectionStore store(folder.file());
        AlarmEventRecord flood = alarmEvent(3, RunId{}, 9);
        flood.event.kind = AlarmEventKind::FloodEnded;
        flood.event.tag.clear();
        flood.event.actor.reset();
        flood.event.comment.clear();
        flood.event.shelvedUntil.reset();
        const std::vector<AlarmEventRecord> events = {alarmEvent(1, kRun, 5), alarmEvent(2, RunId(8), 6), flood,
                                                      alarmEvent(4, kRun, 7)};
        store.insertAlarmEvents(events);

        QCOMPARE(store.alarmEvents(kRun), (std::vector<AlarmEventRecord>{events[0], events[3]}));
        QCOMPARE(store.alarmEvents(RunId(8)), std::vector<AlarmEventRecord>{events[1]});
        QCOMPARE(store.alarmEvents(RunId{}), std::vector<AlarmEventRecord>{flood});
    }

    void telemetryReadsBackByTimeAndIsCountedPerRunAndInAll()
    {
        const StoreFolder folder;
        InspectionStore store(folder.file());
        const std::vector<TelemetrySample> samples = {{kRun, "vacuum.kpa", at(3), 80.0},
                                                      {kRun, "vacuum.kpa", at(1), 81.0},
                                                      {RunId{}, "vacuum.kpa", at(0), 82.0},
                                                      {kRun, "lamp.percent", at(2), 79.5}};
        store.insertTelemetry(samples);
        QCOMPARE(store.telemetry(kRun), (std::vector<TelemetrySample>{samples[1], samples[3], samples[0]}));
        QCOMPARE(store.telemetry(RunId{}), std::vector<TelemetrySample>{samples[2]});
        QCOMPARE(store.telemetryCount(), std::int64_t(4));
        QCOMPARE(store.telemetryCount(kRun), std::int64_t(3));
        QCOMPARE(store.telemetryCount(RunId{}), std::int64_t(1));
    }

    void auditEntriesAreNewestFirstAndLimited()
    {
        const StoreFolder folder;
        InspectionStore store(folder.file());
        const std::vector<AuditEntry> entries = {{"alice", "operator", at(10), "run.start", "LOT1"},
                                                 {"bob", "engineer", at(30), "recipe.edit", "quick-200mm"},
                                                 {"carol", "technician", at(20), "alarm.shelve", "vacuum.low"},
                                                 {"alice", "operator", at(30), "run.pause", "LOT1"}};
        store.appendAudit(entries);
        // Same time: the one stored later is newer.
        QCOMPARE(store.auditEntries(10), (std::vector<AuditEntry>{entries[3], entries[1], entries[2], entries[0]}));
        QCOMPARE(store.auditEntries(2), (std::vector<AuditEntry>{entries[3], entries[1]}));
        QCOMPARE(store.auditEntries(0), std::vector<AuditEntry>());
    }
};

QTEST_GUILESS_MAIN(InspectionStoreTest)
#include "inspection_store_test.moc"
