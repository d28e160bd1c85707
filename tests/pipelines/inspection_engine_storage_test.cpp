// The engine and its storage: a run is refused, leaving no trace, when the storage is not ready; a
// store that fails mid-run pauses the run and holds its defects until it recovers (then the run
// resumes and every defect is stored once) or the run is aborted (then the held defects are kept in
// a file next to the database); a run whose books do not balance ends Failed, never Completed.
// Storage faults come from the store's write hook and a free-space function: no privileges needed.

#include <QCoreApplication>
#include <QTest>

#include <atomic>
#include <chrono>
#include <fstream>
#include <memory>
#include <set>
#include <string>

#include <waferscope/core/persistence/inspection_store.h>
#include <waferscope/pipelines/services/alarm_monitor.h>
#include <waferscope/testing/wait_until.h>
#include <waferscope/testing/watchdog.h>

#include "engine_fixtures.h"

using namespace std::chrono_literals;
using namespace waferscope;
using pipelines::InspectionEngine;
using pipelines::RunReport;
using testing::EngineRig;

namespace {

/// The store fails defect inserts while `failDefects` and every write while `failAll`.
struct StorageFaults {
    std::shared_ptr<std::atomic<bool>> failDefects = std::make_shared<std::atomic<bool>>(false);
    std::shared_ptr<std::atomic<bool>> failAll = std::make_shared<std::atomic<bool>>(false);
    std::shared_ptr<std::atomic<std::uint64_t>> freeBytes =
        std::make_shared<std::atomic<std::uint64_t>>(std::uint64_t(500) * 1024 * 1024 * 1024);

    void install(InspectionEngine::Setup &setup) const
    {
        setup.storeWriteHook = [defects = failDefects, all = failAll](const std::string &action) {
            if (all->load() || (defects->load() && action.ends_with(" defects"))) {
                throw std::runtime_error("database or disk is full");
            }
        };
        setup.freeDiskBytes = [bytes = freeBytes](const std::filesystem::path &) {
            return std::optional<std::uintmax_t>(bytes->load());
        };
        setup.storeRetryDelay = 20ms;
    }
};

hardware::sim::SimulatorConfig config()
{
    return EngineRig::configWith({}, hardware::sim::SimulatorConfig::Pacing::Unpaced);
}

std::size_t runsStored(const std::filesystem::path &database)
{
    const core::InspectionStore store(database);
    return store.runs(100).size();
}

std::size_t lineCount(const std::filesystem::path &file)
{
    std::ifstream in(file);
    std::size_t lines = 0;
    for (std::string line; std::getline(in, line);) {
        ++lines;
    }
    return lines;
}

bool isConditionActive(const InspectionEngine &engine, std::string_view tag)
{
    for (const core::AlarmStatus &status : engine.alarms()) {
        if (status.definition.tag == tag) {
            return status.isConditionActive;
        }
    }
    return false;
}

} // namespace

class InspectionEngineStorageTest : public QObject
{
    Q_OBJECT

private slots:
    void runIsRefusedWithoutATraceWhenFreeSpaceIsBelowTheRecipesMinimum()
    {
        const testing::Watchdog watchdog("refused for free space", 60s);
        StorageFaults faults;
        faults.freeBytes->store(std::uint64_t(100) * 1024 * 1024);
        EngineRig rig(config(), [&](InspectionEngine::Setup &s) { faults.install(s); });
        auto request = rig.request({"W1"});
        QCOMPARE(request.recipe.alarms.diskSpaceMinimumMb, std::int64_t(1024));
        const auto refused = testing::finish(rig.engine->runLot(request));
        const std::string error = testing::errorOf(refused);
        QVERIFY2(error.starts_with("the run was refused: ") && error.find("100 MB free") != std::string::npos &&
                     error.find("minimum of 1024 MB") != std::string::npos,
                 error.c_str());
        QVERIFY(!rig.engine->progress().isRunning);
        QCOMPARE(runsStored(rig.engine->databaseFile()), 0u);

        // With room again, the same engine runs the lot.
        faults.freeBytes->store(std::uint64_t(2) * 1024 * 1024 * 1024);
        const auto outcome = testing::finish(rig.engine->runLot(request));
        const auto *report = std::get_if<RunReport>(&outcome);
        QVERIFY2(report != nullptr, testing::errorOf(outcome));
        QCOMPARE(report->state, core::RunState::Completed);
        QCOMPARE(runsStored(rig.engine->databaseFile()), 1u);
    }

    void runIsRefusedWhenTheDatabaseCannotBeWritten()
    {
        const testing::Watchdog watchdog("refused for the database", 60s);
        StorageFaults faults;
        EngineRig rig(config(), [&](InspectionEngine::Setup &s) { faults.install(s); });
        faults.failAll->store(true);
        const std::string error = testing::errorOf(testing::finish(rig.engine->runLot(rig.request({"W1"}))));
        QVERIFY2(error.find("the inspection database cannot be written") != std::string::npos &&
                     error.find("database or disk is full") != std::string::npos,
                 error.c_str());
        faults.failAll->store(false);
        QCOMPARE(runsStored(rig.engine->databaseFile()), 0u);
    }

    void runIsRefusedWhenTheKlarfFolderCannotBeWritten()
    {
        const testing::Watchdog watchdog("refused for the KLARF folder", 60s);
        StorageFaults faults;
        EngineRig rig(config(), [&](InspectionEngine::Setup &s) { faults.install(s); });
        const std::filesystem::path klarf = rig.engine->dataFolder() / "klarf";
        std::filesystem::remove_all(klarf);
        std::ofstream(klarf) << "a file where the KLARF folder belongs";
        const std::string error = testing::errorOf(testing::finish(rig.engine->runLot(rig.request({"W1"}))));
        QVERIFY2(error.find(klarf.string()) != std::string::npos, error.c_str());
        QCOMPARE(runsStored(rig.engine->databaseFile()), 0u);
    }

    void storeFailingMidRunPausesTheRunThatResumesAndStoresEveryDefectOnceWhenStorageRecovers()
    {
        const testing::Watchdog watchdog("outage and recovery", 120s);
        StorageFaults faults;
        EngineRig rig(config(), [&](InspectionEngine::Setup &s) { faults.install(s); });
        faults.failDefects->store(true); // the run begins; its first defects cannot be stored
        auto task = rig.engine->runLot(rig.request({"W1", "W2"}));
        QVERIFY(testing::waitUntil([&] { return rig.engine->progress().state == core::RunState::Paused; }, 60'000));
        QVERIFY(testing::waitUntil(
            [&] { return isConditionActive(*rig.engine, pipelines::AlarmMonitor::kStoreFailing); }, 10'000));
        QCOMPARE(rig.engine->progress().ledger.defectsStored, 0u);

        faults.failDefects->store(false);
        const auto outcome = testing::finish(std::move(task));
        const auto *report = std::get_if<RunReport>(&outcome);
        QVERIFY2(report != nullptr, testing::errorOf(outcome));
        QCOMPARE(report->state, core::RunState::Completed);
        QVERIFY(report->ledger.balances());
        QVERIFY(report->ledger.defectsDetected > 0);
        QCOMPARE(report->ledger.defectsUnstored, 0u);
        QVERIFY(rig.engine->storageOutages() >= 1);
        const core::InspectionStore store(rig.engine->databaseFile());
        const auto stored = store.defects(report->runId);
        QCOMPARE(stored.size(), report->ledger.defectsDetected);
        std::set<std::uint64_t> ids;
        for (const auto &d : stored) {
            ids.insert(d.id);
        }
        QCOMPARE(ids.size(), stored.size());
        QCOMPARE(store.duplicateDefectCount(), 0u);
    }

    void abortDuringAStoreOutageEndsTheRunAndKeepsTheHeldDefectsInAFile()
    {
        const testing::Watchdog watchdog("abort during an outage", 120s);
        StorageFaults faults;
        EngineRig rig(config(), [&](InspectionEngine::Setup &s) { faults.install(s); });
        faults.failDefects->store(true);
        auto task = rig.engine->runLot(rig.request({"W1", "W2"}));
        QVERIFY(testing::waitUntil([&] { return rig.engine->progress().state == core::RunState::Paused; }, 60'000));
        rig.engine->abort("aborted by the operator");
        const auto outcome = testing::finish(std::move(task));
        const auto *report = std::get_if<RunReport>(&outcome);
        QVERIFY2(report != nullptr, testing::errorOf(outcome));
        QCOMPARE(report->state, core::RunState::Aborted);
        QCOMPARE(report->reason, std::string("aborted by the operator"));
        const auto &l = report->ledger;
        QVERIFY(l.defectsUnstored > 0);
        QCOMPARE(l.defectsStored + l.defectsUnstored, l.defectsDetected);
        const std::filesystem::path file = rig.engine->unstoredDefectsFile();
        QCOMPARE(file.parent_path(), rig.engine->databaseFile().parent_path());
        QCOMPARE(lineCount(file), l.defectsUnstored + 1);
        const core::InspectionStore store(rig.engine->databaseFile());
        const auto run = store.run(report->runId);
        QVERIFY(run.has_value());
        QCOMPARE(run->state, core::RunState::Aborted);
        QCOMPARE(run->endReason, std::string("aborted by the operator"));
    }

    void runWhoseBooksDoNotBalanceEndsFailedNotCompleted()
    {
        const testing::Watchdog watchdog("unbalanced books", 60s);
        StorageFaults faults;
        EngineRig rig(config(), [&](InspectionEngine::Setup &s) { faults.install(s); });
        // Where the run's first KLARF file goes, a folder: that wafer's export fails.
        const std::filesystem::path klarf = rig.engine->dataFolder() / "klarf";
        QObject::connect(rig.engine.get(), &InspectionEngine::runStateChanged, rig.engine.get(),
                         [klarf](quint64 run, int state, const QString &) {
                             if (static_cast<core::RunState>(state) == core::RunState::Checking) {
                                 std::filesystem::create_directories(klarf / core::RunId(run).toString() / "W1.klarf");
                             }
                         });
        const auto outcome = testing::finish(rig.engine->runLot(rig.request({"W1"})));
        const auto *report = std::get_if<RunReport>(&outcome);
        QVERIFY2(report != nullptr, testing::errorOf(outcome));
        QVERIFY(report->ledger.defectsDetected > 0);
        QCOMPARE(report->ledger.defectsInKlarf, 0u);
        QCOMPARE(report->state, core::RunState::Failed);
        QVERIFY2(report->reason.starts_with("results not all kept: "), report->reason.c_str());
        const core::InspectionStore store(rig.engine->databaseFile());
        QCOMPARE(store.run(report->runId)->state, core::RunState::Failed);
    }
};

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    InspectionEngineStorageTest test;
    return QTest::qExec(&test, argc, argv);
}

#include "inspection_engine_storage_test.moc"
