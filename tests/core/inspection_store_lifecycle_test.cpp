#include <QTest>

#include <optional>
#include <string>
#include <vector>

#include <waferscope/core/persistence/inspection_store.h>
#include <waferscope/core/persistence/store_error.h>

#include "store_fixtures.h"

using waferscope::core::DefectRecord;
using waferscope::core::InspectionStore;
using waferscope::core::RunId;
using waferscope::core::RunRecord;
using waferscope::core::RunState;
using waferscope::core::StoreError;
using waferscope::core::WaferId;
using waferscope::core::WaferRecord;
using namespace waferscope::testing::store;

namespace {

const RunId kRun{7};

/// The problem of the StoreError `call` throws; fails the test when it throws none.
template <typename Call>
std::string problemOf(Call &&call)
{
    const std::optional<StoreError> error = storeErrorOf(call);
    if (!error) {
        QTest::qFail("not refused", __FILE__, __LINE__);
        return {};
    }
    return error->problem();
}

WaferRecord ended(WaferRecord wafer, RunState state, std::int64_t second)
{
    wafer.state = state;
    wafer.endedAt = at(second);
    return wafer;
}

} // namespace

class InspectionStoreLifecycleTest : public QObject
{
    Q_OBJECT

private slots:
    void aRunMovesBetweenOpenStatesAndEndsOnceWithItsReason()
    {
        const StoreFolder folder;
        InspectionStore store(folder.file());
        store.beginRun(runRecord(kRun.value()));
        store.setRunState(kRun, RunState::Running);
        store.setRunState(kRun, RunState::Paused);
        QCOMPARE(store.run(kRun)->state, RunState::Paused);

        store.endRun(kRun, RunState::Failed, "camera stopped sending frames", at(60));
        RunRecord expected = runRecord(kRun.value());
        expected.state = RunState::Failed;
        expected.endedAt = at(60);
        expected.endReason = "camera stopped sending frames";
        QCOMPARE(store.run(kRun), std::optional<RunRecord>(expected));

        QCOMPARE(problemOf([&] { store.endRun(kRun, RunState::Completed, "again", at(61)); }),
                 std::string("run-7 already ended (failed)"));
        QCOMPARE(problemOf([&] { store.setRunState(kRun, RunState::Running); }),
                 std::string("run-7 already ended (failed)"));
        QCOMPARE(store.run(kRun), std::optional<RunRecord>(expected));
    }

    void endingARunEndsItsOpenWafersWithItAndLeavesEndedOnesAlone()
    {
        const StoreFolder folder;
        InspectionStore store(folder.file());
        store.beginRun(runRecord(kRun.value()));
        const WaferRecord first = ended(waferRecord(kRun, 1), RunState::Completed, 30);
        store.beginWafer(waferRecord(kRun, 1));
        store.endWafer(first);
        store.beginWafer(waferRecord(kRun, 2, 31));

        store.endRun(kRun, RunState::Aborted, "operator aborted", at(40));
        WaferRecord second = ended(waferRecord(kRun, 2, 31), RunState::Aborted, 40);
        second.endReason = "operator aborted";
        QCOMPARE(store.wafers(kRun), (std::vector<WaferRecord>{first, second}));
    }

    void endingAWaferStoresItsCountsKlarfPathAndReason()
    {
        const StoreFolder folder;
        InspectionStore store(folder.file());
        store.beginRun(runRecord(kRun.value()));
        store.beginWafer(waferRecord(kRun, 3));
        store.setWaferState(kRun, WaferId("W-3"), RunState::Paused);
        QCOMPARE(store.wafers(kRun).at(0).state, RunState::Paused);

        WaferRecord done = ended(waferRecord(kRun, 3), RunState::Completed, 90);
        done.endReason = "all dies inspected";
        done.dieCount = 512;
        done.defectCount = 17;
        done.klarfPath = "/data/klarf/LOT7-03.klarf";
        store.endWafer(done);
        QCOMPARE(store.wafers(kRun), std::vector<WaferRecord>{done});

        QCOMPARE(problemOf([&] { store.endWafer(done); }), std::string("wafer W-3 of run-7 already ended (completed)"));
        QCOMPARE(problemOf([&] { store.setWaferState(kRun, WaferId("W-3"), RunState::Running); }),
                 std::string("wafer W-3 of run-7 already ended (completed)"));
        QCOMPARE(problemOf([&] { store.endWafer(ended(waferRecord(kRun, 4), RunState::Completed, 91)); }),
                 std::string("wafer W-4 of run-7 is not stored"));
    }

    void aRunOrWaferThatIsNotStoredIsNamedInTheError()
    {
        const StoreFolder folder;
        InspectionStore store(folder.file());
        QCOMPARE(problemOf([&] { store.setRunState(RunId(9), RunState::Running); }), std::string("run-9 is not stored"));
        QCOMPARE(problemOf([&] { store.endRun(RunId(9), RunState::Aborted, "x", at(1)); }),
                 std::string("run-9 is not stored"));
        QCOMPARE(problemOf([&] { store.beginWafer(waferRecord(RunId(9), 1)); }), std::string("run-9 is not stored"));
    }

    void badLifecycleArgumentsAreRefusedSayingWhatIsWrong()
    {
        const StoreFolder folder;
        InspectionStore store(folder.file());
        QCOMPARE(problemOf([&] { store.beginRun(runRecord(0)); }),
                 std::string("a run id must not be 0, which means no run"));
        QCOMPARE(problemOf([&] { store.beginRun(runRecord(1, 0, RunState::Completed)); }),
                 std::string("its state 'completed' is final; a run begins in a non-final state"));
        RunRecord noLot = runRecord(1);
        noLot.lotId.clear();
        QCOMPARE(problemOf([&] { store.beginRun(noLot); }), std::string("its lot id is empty"));
        RunRecord alreadyEnded = runRecord(1);
        alreadyEnded.endReason = "done";
        QCOMPARE(problemOf([&] { store.beginRun(alreadyEnded); }),
                 std::string("it has an end time or end reason; a run begins open"));
        QVERIFY(store.runs(10).empty());

        store.beginRun(runRecord(kRun.value()));
        QVERIFY(contains(problemOf([&] { store.beginRun(runRecord(kRun.value())); }), "UNIQUE constraint failed"));
        QCOMPARE(problemOf([&] { store.setRunState(kRun, RunState::Completed); }),
                 std::string("the state is final; endRun() ends a run"));
        QCOMPARE(problemOf([&] { store.endRun(kRun, RunState::Paused, "x", at(1)); }),
                 std::string("the state is not final; a run ends completed, aborted or failed"));
        QCOMPARE(problemOf([&] { store.endRun(kRun, RunState::Aborted, "", at(1)); }),
                 std::string("the end reason is empty"));

        WaferRecord badSlot = waferRecord(kRun, 1);
        badSlot.slot = 26;
        QCOMPARE(problemOf([&] { store.beginWafer(badSlot); }), std::string("slot 26 is outside 1…25"));
        QCOMPARE(problemOf([&] { store.beginWafer(ended(waferRecord(kRun, 1), RunState::Completed, 5)); }),
                 std::string("its state 'completed' is final; a wafer begins in a non-final state"));
        WaferRecord withKlarf = waferRecord(kRun, 1);
        withKlarf.klarfPath = "/data/klarf/early.klarf";
        QCOMPARE(problemOf([&] { store.beginWafer(withKlarf); }),
                 std::string("it has an end time, end reason, counts or KLARF path; a wafer begins open"));
        store.beginWafer(waferRecord(kRun, 1));
        QVERIFY(contains(problemOf([&] { store.beginWafer(waferRecord(kRun, 1)); }), "UNIQUE constraint failed"));
        WaferRecord noEnd = ended(waferRecord(kRun, 1), RunState::Completed, 5);
        noEnd.endedAt.reset();
        QCOMPARE(problemOf([&] { store.endWafer(noEnd); }), std::string("it has no end time"));
        QCOMPARE(store.run(kRun), std::optional<RunRecord>(runRecord(kRun.value())));
        QCOMPARE(store.wafers(kRun), std::vector<WaferRecord>{waferRecord(kRun, 1)});
    }

    void aWaferCannotBeginOnAnEndedRun()
    {
        const StoreFolder folder;
        InspectionStore store(folder.file());
        store.beginRun(runRecord(kRun.value()));
        store.endRun(kRun, RunState::Completed, "every wafer of the lot was scanned", at(5));
        QCOMPARE(problemOf([&] { store.beginWafer(waferRecord(kRun, 1)); }),
                 std::string("run-7 already ended (completed)"));
        QVERIFY(store.wafers(kRun).empty());
    }

    void recoveryMarksInterruptedRunsAndTheirOpenWafersAbortedAndKeepsTheirDefects()
    {
        const StoreFolder folder;
        InspectionStore store(folder.file());
        store.beginRun(runRecord(1, 10, RunState::Checking));
        store.beginRun(runRecord(2, 20, RunState::Running));
        store.beginRun(runRecord(3, 30, RunState::Paused));
        const WaferRecord finished = ended(waferRecord(RunId(2), 1), RunState::Completed, 25);
        store.beginWafer(waferRecord(RunId(2), 1));
        std::ignore = store.insertDefects(defects(1, 20, RunId(2), finished.waferId));
        store.endWafer(finished);
        store.beginWafer(waferRecord(RunId(2), 2, 26));
        std::ignore = store.insertDefects(defects(21, 5, RunId(2), WaferId("W-2")));

        const std::vector<RunId> recovered = store.recoverInterruptedRuns(at(1000));
        QCOMPARE(recovered, (std::vector<RunId>{RunId(1), RunId(2), RunId(3)}));
        for (const RunId run : recovered) {
            const RunRecord record = *store.run(run);
            QCOMPARE(record.state, RunState::Aborted);
            QCOMPARE(record.endedAt, std::optional(at(1000)));
            QCOMPARE(record.endReason, std::string(InspectionStore::kInterruptedReason));
        }
        QCOMPARE(std::string(InspectionStore::kInterruptedReason), std::string("the program ended during the run"));
        WaferRecord interrupted = ended(waferRecord(RunId(2), 2, 26), RunState::Aborted, 1000);
        interrupted.endReason = std::string(InspectionStore::kInterruptedReason);
        QCOMPARE(store.wafers(RunId(2)), (std::vector<WaferRecord>{finished, interrupted}));
        std::vector<DefectRecord> kept = defects(1, 20, RunId(2), WaferId("W-1"));
        const std::vector<DefectRecord> ofSecond = defects(21, 5, RunId(2), WaferId("W-2"));
        kept.insert(kept.end(), ofSecond.begin(), ofSecond.end());
        QCOMPARE(store.defects(RunId(2)), kept);
    }

    void recoveryLeavesFinishedRunsAlone()
    {
        const StoreFolder folder;
        InspectionStore store(folder.file());
        store.beginRun(runRecord(4, 40));
        store.endRun(RunId(4), RunState::Completed, "every wafer of the lot was scanned", at(50));
        store.beginRun(runRecord(5, 60));
        store.endRun(RunId(5), RunState::Failed, "vacuum lost", at(70));
        store.beginRun(runRecord(6, 80, RunState::Running));
        const std::optional<RunRecord> completed = store.run(RunId(4));
        const std::optional<RunRecord> failed = store.run(RunId(5));

        QCOMPARE(store.recoverInterruptedRuns(at(1000)), std::vector<RunId>{RunId(6)});
        QCOMPARE(store.run(RunId(4)), completed);
        QCOMPARE(store.run(RunId(5)), failed);
        QCOMPARE(store.recoverInterruptedRuns(at(2000)), std::vector<RunId>());
        QCOMPARE(store.run(RunId(6))->endedAt, std::optional(at(1000)));
    }
};

QTEST_GUILESS_MAIN(InspectionStoreLifecycleTest)
#include "inspection_store_lifecycle_test.moc"
