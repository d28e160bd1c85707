#include <QElapsedTimer>
#include <QTest>

#include <cmath>
#include <limits>
#include <optional>
#include <string>
#include <vector>

#include <waferscope/core/alarms/alarm_event.h>
#include <waferscope/core/persistence/inspection_store.h>
#include <waferscope/core/persistence/store_error.h>

#include "raw_sql_connection.h"
#include "store_fixtures.h"

using waferscope::core::AlarmEventKind;
using waferscope::core::AlarmEventRecord;
using waferscope::core::AuditEntry;
using waferscope::core::DefectBatchResult;
using waferscope::core::DefectRecord;
using waferscope::core::InspectionStore;
using waferscope::core::RunId;
using waferscope::core::StoreError;
using waferscope::core::TelemetrySample;
using waferscope::core::WaferId;
using namespace waferscope::testing::store;

namespace {

const RunId kRun{7};
const WaferId kWafer("W-1");

/// A store at `file` with run 7 and its wafer W-1 begun.
class OpenRun
{
public:
    explicit OpenRun(const std::filesystem::path &file)
        : m_store(file)
    {
        m_store.beginRun(runRecord(kRun.value()));
        m_store.beginWafer(waferRecord(kRun, 1));
    }

    [[nodiscard]] InspectionStore &store() { return m_store; }

private:
    InspectionStore m_store;
};

AlarmEventRecord alarmEvent(std::uint64_t sequence, std::string tag)
{
    AlarmEventRecord record;
    record.event.sequence = sequence;
    record.event.kind = AlarmEventKind::Activated;
    record.event.tag = std::move(tag);
    record.event.runId = kRun;
    record.occurredAt = at(static_cast<std::int64_t>(sequence));
    return record;
}

/// Plants a trigger that refuses a row of `table` whose `column` is 'BAD', as a disk or a constraint
/// might refuse any row: it lets a test make exactly one chosen row of a batch fail.
void refuseBadRows(const std::filesystem::path &file, const QString &table, const QString &column)
{
    RawSqlConnection raw(file);
    const std::string error = raw.execute(QString("CREATE TRIGGER refuse_bad BEFORE INSERT ON %1 WHEN NEW.%2 = 'BAD' "
                                                  "BEGIN SELECT RAISE(ABORT, 'planted refusal'); END")
                                              .arg(table, column));
    QVERIFY2(error.empty(), error.c_str());
}

} // namespace

class InspectionStoreWritesTest : public QObject
{
    Q_OBJECT

private slots:
    void tenThousandDefectsAreStoredInOneTransaction()
    {
        const StoreFolder folder;
        OpenRun open(folder.file());
        std::vector<DefectRecord> batch = defects(1, 10000, kRun, kWafer);

        // One transaction: the last row's failure takes the 9 999 before it back with it.
        batch.back().waferId = WaferId("W-404");
        QVERIFY(storeErrorOf([&] { std::ignore = open.store().insertDefects(batch); }));
        QCOMPARE(open.store().defectCount(kRun), std::int64_t(0));

        batch.back().waferId = kWafer;
        QElapsedTimer timer;
        timer.start();
        const DefectBatchResult result = open.store().insertDefects(batch);
        qInfo("10 000 defects stored in %lld ms", static_cast<long long>(timer.elapsed()));
        QCOMPARE(result, (DefectBatchResult{10000, 0}));
        QCOMPARE(open.store().defectCount(kRun), std::int64_t(10000));
        QCOMPARE(open.store().defects(kRun), batch);
    }

    void aRetriedBatchSkipsTheDefectsAlreadyStoredAndCountsThem()
    {
        const StoreFolder folder;
        OpenRun open(folder.file());
        QCOMPARE(open.store().insertDefects(defects(1, 100, kRun, kWafer)), (DefectBatchResult{100, 0}));
        // The retry carries the same 100 and 50 more.
        QCOMPARE(open.store().insertDefects(defects(1, 150, kRun, kWafer)), (DefectBatchResult{50, 100}));
        QCOMPARE(open.store().duplicateDefectCount(), std::uint64_t(100));
        QCOMPARE(open.store().defectCount(kRun), std::int64_t(150));
        QCOMPARE(open.store().defects(kRun), defects(1, 150, kRun, kWafer));
    }

    void aDefectGivenTwiceInOneBatchIsStoredOnce()
    {
        const StoreFolder folder;
        OpenRun open(folder.file());
        const std::vector<DefectRecord> batch = {defect(1, kRun, kWafer), defect(2, kRun, kWafer),
                                                 defect(1, kRun, kWafer)};
        QCOMPARE(open.store().insertDefects(batch), (DefectBatchResult{2, 1}));
        QCOMPARE(open.store().defects(kRun), defects(1, 2, kRun, kWafer));
    }

    void aDifferentDefectUnderAStoredIdIsRefusedAndItsBatchRolledBack()
    {
        const StoreFolder folder;
        OpenRun open(folder.file());
        std::ignore = open.store().insertDefects(defects(1, 10, kRun, kWafer));
        std::vector<DefectRecord> batch = defects(11, 5, kRun, kWafer);
        batch.push_back(defect(2, kRun, kWafer)); // a true duplicate, not counted since the batch fails
        DefectRecord impostor = defect(3, kRun, kWafer);
        impostor.xRelUm += 1.0;
        batch.push_back(impostor);

        const std::optional<StoreError> error = storeErrorOf([&] { std::ignore = open.store().insertDefects(batch); });
        QVERIFY(error);
        QCOMPARE(error->action(), std::string("insert 7 defects"));
        QVERIFY2(contains(error->problem(), "defect 3 of run-7 on wafer W-1"), error->what());
        QVERIFY2(contains(error->problem(), "its id is already stored for another defect"), error->what());
        QCOMPARE(open.store().defects(kRun), defects(1, 10, kRun, kWafer));
        QCOMPARE(open.store().duplicateDefectCount(), std::uint64_t(0));
    }

    void aBatchWithOneBadRowRollsBackCompletelyAndTheCallerCanRetryIt()
    {
        const StoreFolder folder;
        OpenRun open(folder.file());
        std::vector<DefectRecord> batch = defects(1, 1000, kRun, kWafer);
        batch[499].waferId = WaferId("W-2"); // not begun yet
        const std::vector<DefectRecord> kept = batch;

        const std::optional<StoreError> error = storeErrorOf([&] { std::ignore = open.store().insertDefects(batch); });
        QVERIFY(error);
        QCOMPARE(error->file(), folder.file());
        QCOMPARE(error->action(), std::string("insert 1000 defects"));
        QVERIFY2(contains(error->problem(), "defect 500 of run-7 on wafer W-2 die"), error->what());
        QVERIFY2(contains(error->problem(), "FOREIGN KEY constraint failed"), error->what());
        QCOMPARE(open.store().defectCount(kRun), std::int64_t(0));
        QCOMPARE(batch, kept);

        open.store().beginWafer(waferRecord(kRun, 2));
        QCOMPARE(open.store().insertDefects(batch), (DefectBatchResult{1000, 0}));
        QCOMPARE(open.store().defects(kRun), batch);
    }

    void aDefectIdOutsideSqliteIntegersIsRefusedNamingTheDefect()
    {
        const StoreFolder folder;
        OpenRun open(folder.file());
        for (const std::uint64_t id : {std::uint64_t(0), std::numeric_limits<std::uint64_t>::max()}) {
            const std::vector<DefectRecord> batch = {defect(1, kRun, kWafer), defect(id, kRun, kWafer)};
            const std::optional<StoreError> error =
                storeErrorOf([&] { std::ignore = open.store().insertDefects(batch); });
            QVERIFY(error);
            QVERIFY2(contains(error->problem(), "defect " + std::to_string(id) + " of run-7"), error->what());
            QVERIFY2(contains(error->problem(), "a defect id must be 1 … 2^63 - 1"), error->what());
        }
        QCOMPARE(open.store().defectCount(kRun), std::int64_t(0));
    }

    void aDefectWithANonNumberIsRefused()
    {
        const StoreFolder folder;
        OpenRun open(folder.file());
        DefectRecord bad = defect(2, kRun, kWafer);
        bad.areaUm2 = std::nan("");
        const std::vector<DefectRecord> batch = {defect(1, kRun, kWafer), bad};
        const std::optional<StoreError> error = storeErrorOf([&] { std::ignore = open.store().insertDefects(batch); });
        QVERIFY(error);
        QVERIFY2(contains(error->problem(), "defect 2 of run-7"), error->what());
        QVERIFY2(contains(error->problem(), "area_um2"), error->what());
        QCOMPARE(open.store().defectCount(kRun), std::int64_t(0));
    }

    void anEmptyBatchStoresNothingAndSucceeds()
    {
        const StoreFolder folder;
        OpenRun open(folder.file());
        QCOMPARE(open.store().insertDefects({}), DefectBatchResult{});
        open.store().insertTelemetry({});
        open.store().insertAlarmEvents({});
        open.store().appendAudit({});
        QCOMPARE(open.store().defectCount(kRun), std::int64_t(0));
        QCOMPARE(open.store().telemetryCount(), std::int64_t(0));
    }

    void anAlarmEventBatchWithOneBadRowRollsBackCompletely()
    {
        const StoreFolder folder;
        OpenRun open(folder.file());
        refuseBadRows(folder.file(), "alarm_events", "tag");
        std::vector<AlarmEventRecord> events = {alarmEvent(1, "vacuum.low"), alarmEvent(2, "BAD"),
                                                alarmEvent(3, "lamp.drift")};
        const std::optional<StoreError> error = storeErrorOf([&] { open.store().insertAlarmEvents(events); });
        QVERIFY(error);
        QCOMPARE(error->action(), std::string("insert 3 alarm events"));
        QCOMPARE(error->problem(), std::string("alarm event 2 (activated of 'BAD'): planted refusal"));
        QVERIFY(open.store().alarmEvents(kRun).empty());

        events[1].event.tag = "stage.limit";
        open.store().insertAlarmEvents(events);
        QCOMPARE(open.store().alarmEvents(kRun), events);
    }

    void aTelemetryBatchWithOneBadRowRollsBackCompletely()
    {
        const StoreFolder folder;
        OpenRun open(folder.file());
        std::vector<TelemetrySample> samples = {
            {kRun, "vacuum.kpa", at(1), 80.0}, {kRun, "", at(2), 1.0}, {kRun, "lamp.percent", at(3), 79.0}};
        const std::optional<StoreError> error = storeErrorOf([&] { open.store().insertTelemetry(samples); });
        QVERIFY(error);
        QCOMPARE(error->action(), std::string("insert 3 telemetry samples"));
        QVERIFY2(contains(error->problem(), "sample 2 of channel '': CHECK constraint failed"), error->what());
        QCOMPARE(open.store().telemetryCount(), std::int64_t(0));

        samples[1].channel = "stage.following_error_um";
        open.store().insertTelemetry(samples);
        QCOMPARE(open.store().telemetryCount(), std::int64_t(3));
    }

    void anAuditBatchWithOneBadRowRollsBackCompletely()
    {
        const StoreFolder folder;
        OpenRun open(folder.file());
        const std::vector<AuditEntry> entries = {{"alice", "operator", at(1), "run.start", "LOT7"},
                                                 {"alice", "operator", at(2), "", "no action named"}};
        const std::optional<StoreError> error = storeErrorOf([&] { open.store().appendAudit(entries); });
        QVERIFY(error);
        QCOMPARE(error->action(), std::string("append 2 audit entries"));
        QVERIFY2(contains(error->problem(), "entry 2 ('' by 'alice'): CHECK constraint failed"), error->what());
        QVERIFY(open.store().auditEntries(10).empty());
    }

    void auditEntriesCannotBeUpdatedDeletedOrReplaced()
    {
        const StoreFolder folder;
        OpenRun open(folder.file());
        const std::vector<AuditEntry> entries = {{"alice", "operator", at(1), "run.start", "LOT7"},
                                                 {"bob", "engineer", at(2), "recipe.edit", "quick-200mm"}};
        open.store().appendAudit(entries);

        RawSqlConnection raw(folder.file());
        QCOMPARE(raw.execute("UPDATE audit SET detail = 'nothing happened' WHERE id = 1"),
                 std::string("audit entries are append-only: UPDATE refused"));
        QCOMPARE(raw.execute("DELETE FROM audit WHERE id = 2"), std::string("audit entries are append-only: DELETE refused"));
        QCOMPARE(raw.execute("DELETE FROM audit"), std::string("audit entries are append-only: DELETE refused"));
        QCOMPARE(raw.execute("INSERT OR REPLACE INTO audit (id, user_name, role, at_ns, action, detail) "
                             "VALUES (1, 'mallory', 'operator', 0, 'run.start', 'forged')"),
                 std::string("audit entries are append-only: REPLACE refused"));
        QCOMPARE(open.store().auditEntries(10), (std::vector<AuditEntry>{entries[1], entries[0]}));

        // Appending stays possible, from any connection.
        QCOMPARE(raw.execute("INSERT INTO audit (user_name, role, at_ns, action, detail) "
                             "VALUES ('carol', 'technician', 0, 'alarm.ack', 'vacuum.low')"),
                 std::string());
        QCOMPARE(open.store().auditEntries(10).size(), std::size_t(3));
    }
};

QTEST_GUILESS_MAIN(InspectionStoreWritesTest)
#include "inspection_store_writes_test.moc"
