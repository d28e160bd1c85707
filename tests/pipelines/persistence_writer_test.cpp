#include <QTemporaryDir>
#include <QTest>

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include <waferscope/core/persistence/inspection_store.h>
#include <waferscope/pipelines/persistence/persistence_writer.h>
#include <waferscope/testing/manual_executor.h>

using namespace std::chrono_literals;
using namespace waferscope;
using pipelines::PersistenceCommand;
using pipelines::PersistenceWriter;
using pipelines::RunLedger;

namespace {

const auto kStart = std::chrono::system_clock::time_point(std::chrono::seconds(1'800'000'000));

core::RunRecord runRecord(core::RunId id)
{
    core::RunRecord run;
    run.id = id;
    run.lotId = "LOT1";
    run.recipeName = "default";
    run.recipeSummary = "300 mm";
    run.state = core::RunState::Running;
    run.startedAt = kStart;
    return run;
}

core::WaferRecord waferRecord(core::RunId runId, const char *wafer)
{
    core::WaferRecord record;
    record.runId = runId;
    record.waferId = core::WaferId(wafer);
    record.state = core::RunState::Running;
    record.startedAt = kStart;
    return record;
}

core::DefectRecord defect(std::uint64_t id, core::RunId runId, const char *wafer)
{
    core::DefectRecord d;
    d.id = id;
    d.runId = runId;
    d.waferId = core::WaferId(wafer);
    d.die = core::DieIndex{3, 4};
    d.box = {10, 20, 5, 6};
    d.xRelUm = 100.0 + static_cast<double>(id);
    d.yRelUm = 200.0;
    d.xSizeUm = 60.0;
    d.ySizeUm = 72.0;
    d.areaUm2 = 3000.0;
    d.defectClass = core::DefectClass::ParticleBright;
    d.detectedAt = kStart + std::chrono::seconds(id);
    return d;
}

/// A 200 mm wafer of four 50 mm dies, with `count` defects, as KlarfWriter accepts it.
core::WaferResult waferResult(const char *wafer, int count)
{
    core::WaferResult result;
    result.lotId = "LOT1";
    result.waferId = core::WaferId(wafer);
    result.setupId = "default";
    result.setupTime = kStart;
    result.stepId = "M1";
    result.station = {"Waferscope", "SIM", "TOOL-01"};
    result.fileTime = kStart;
    result.resultTime = kStart;
    result.geometry = {200.0, 50.0, 50.0, 0.0};
    result.sampledDies = {{0, 0}, {1, 0}, {1, 1}, {0, 1}};
    result.classes = {{1, "particle"}, {2, "scratch"}, {3, "pattern"}};
    for (int i = 1; i <= count; ++i) {
        result.defects.push_back({i, {0, 0}, 100.0 * i, 100.0, 10.0, 10.0, 80.0, 1, {}});
    }
    return result;
}

template<typename T>
void send(runtime::Channel<PersistenceCommand> &commands, T &&payload)
{
    QVERIFY(commands.tryWrite(PersistenceCommand(std::forward<T>(payload))));
}

} // namespace

class PersistenceWriterTest : public QObject
{
    Q_OBJECT

private slots:
    void aRunIsStoredInOrderWithItsDefectsInBatchesAndItsKlarf()
    {
        QTemporaryDir dir;
        const std::filesystem::path root(dir.path().toStdString());
        std::vector<std::string> errors;
        testing::ManualExecutor executor;
        runtime::StatsRegistry stats;
        runtime::Channel<PersistenceCommand> commands("persistence", runtime::ChannelOptions{4096, runtime::FullMode::Wait, false});
        PersistenceWriter writer(root / "inspection.db", [&](const std::string &e) { errors.push_back(e); }, &stats);
        executor.spawn(writer.run(commands));

        const core::RunId run(11);
        auto ledger = std::make_shared<RunLedger>();
        send(commands, PersistenceCommand::BeginRun{runRecord(run), ledger});
        send(commands, PersistenceCommand::BeginWafer{waferRecord(run, "W01")});
        for (std::uint64_t id = 1; id <= 2500; ++id) {
            send(commands, defect(id, run, "W01"));
        }
        core::WaferRecord ended = waferRecord(run, "W01");
        ended.state = core::RunState::Completed;
        ended.endedAt = kStart + 1min;
        ended.endReason = "scanned";
        ended.dieCount = 4;
        ended.defectCount = 2500;
        send(commands, PersistenceCommand::EndWafer{ended, waferResult("W01", 3), root / "W01.klarf"});
        send(commands, PersistenceCommand::EndRun{run, core::RunState::Completed, "all wafers inspected", kStart + 2min});
        bool flushed = false;
        send(commands, PersistenceCommand::Flush{[&flushed] { flushed = true; }});
        commands.complete();
        executor.runReady();

        QVERIFY(flushed);
        QCOMPARE(executor.liveJobs(), 0);
        QVERIFY2(errors.empty(), errors.empty() ? "" : errors.front().c_str());
        QCOMPARE(writer.defectsStored(), 2500u);
        QCOMPARE(ledger->totals().defectsStored, 2500u);
        QCOMPARE(ledger->totals().defectsInKlarf, 3u);
        QVERIFY(std::filesystem::exists(root / "W01.klarf"));
        // More than one transaction for 2500 defects, at most kMaxBatch each.
        QVERIFY(stats.find("persistence").value("defect_batches") >= 3);

        const core::InspectionStore store(root / "inspection.db");
        QCOMPARE(store.defectCount(run), 2500);
        QVERIFY(store.run(run)->state == core::RunState::Completed);
        const auto wafers = store.wafers(run);
        QCOMPARE(wafers.size(), 1u);
        QCOMPARE(wafers[0].klarfPath, (root / "W01.klarf").string());
    }

    void aDefectThatCannotBeStoredIsReportedAndTheRestAreStored()
    {
        QTemporaryDir dir;
        const std::filesystem::path root(dir.path().toStdString());
        std::vector<std::string> errors;
        testing::ManualExecutor executor;
        runtime::Channel<PersistenceCommand> commands("persistence", runtime::ChannelOptions{64, runtime::FullMode::Wait, false});
        PersistenceWriter writer(root / "inspection.db", [&](const std::string &e) { errors.push_back(e); }, nullptr, 10ms);
        executor.spawn(writer.run(commands));
        const core::RunId run(12);
        auto ledger = std::make_shared<RunLedger>();
        send(commands, PersistenceCommand::BeginRun{runRecord(run), ledger});
        send(commands, PersistenceCommand::BeginWafer{waferRecord(run, "W01")});
        send(commands, defect(1, run, "W01"));
        send(commands, defect(2, run, "W99")); // a wafer that was never begun
        send(commands, defect(3, run, "W01"));
        commands.complete();
        executor.advance(10s); // the batch is retried on the fake clock, then split
        QCOMPARE(executor.liveJobs(), 0);
        QCOMPARE(writer.defectsStored(), 2u);
        QCOMPARE(writer.defectsUnstored(), 1u);
        QCOMPARE(ledger->totals().defectsStored, 2u);
        QVERIFY(writer.writesFailed() > 0);
        QVERIFY(!errors.empty());
        QVERIFY2(errors.back().find("defect 2 of run-12 could not be stored") != std::string::npos, errors.back().c_str());
    }

    void interruptedRunsAreMarkedAbortedWhenTheWriterStarts()
    {
        QTemporaryDir dir;
        const std::filesystem::path db = std::filesystem::path(dir.path().toStdString()) / "inspection.db";
        {
            core::InspectionStore store(db);
            store.beginRun(runRecord(core::RunId(5)));
        }
        testing::ManualExecutor executor;
        runtime::Channel<PersistenceCommand> commands("persistence", runtime::ChannelOptions{4, runtime::FullMode::Wait, false});
        PersistenceWriter writer(db, {});
        std::vector<core::RunId> recovered;
        executor.spawn(writer.run(commands, [&](std::vector<core::RunId> runs) { recovered = std::move(runs); }));
        commands.complete();
        executor.runReady();
        QCOMPARE(recovered.size(), 1u);
        QCOMPARE(recovered[0], core::RunId(5));
        const core::InspectionStore store(db);
        QVERIFY(store.run(core::RunId(5))->state == core::RunState::Aborted);
    }
};

QTEST_GUILESS_MAIN(PersistenceWriterTest)
#include "persistence_writer_test.moc"
