#include <QCoreApplication>
#include <QTest>
#include <QTimer>

#include <QCoroTask>

#include <fstream>
#include <set>
#include <string>
#include <variant>

#include <waferscope/core/persistence/inspection_store.h>
#include <waferscope/hardware/sim/fault_spec.h>
#include <waferscope/hardware/sim/simulated_machine.h>
#include <waferscope/pipelines/engine/inspection_engine.h>
#include <waferscope/testing/watchdog.h>

#include "engine_fixtures.h"

using namespace std::chrono_literals;
using namespace waferscope;
using pipelines::InspectionEngine;
using pipelines::RunReport;
using pipelines::RunRequest;
using Rig = testing::EngineRig;
using testing::errorOf;
using testing::finish;
using testing::klarfDefectLines;

class InspectionEngineTest : public QObject
{
    Q_OBJECT

private slots:
    void completedRunBalancesItsLedgerAcrossStoreKlarfAndUi()
    {
        const testing::Watchdog watchdog("completed run", 120s);
        Rig rig;
        auto outcome = finish(rig.engine->runLot(rig.request({"W01", "W02"})));
        QVERIFY2(std::holds_alternative<RunReport>(outcome), errorOf(outcome));
        const RunReport report = std::get<RunReport>(outcome);
        QVERIFY2(report.state == core::RunState::Completed, report.reason.c_str());
        const auto &l = report.ledger;
        const std::size_t dies = rig.machine.dieGrid().scanOrder().size();
        QCOMPARE(l.framesProcessed, 2 * dies);
        QCOMPARE(l.framesProcessed + l.framesDroppedTotal(), l.frameSlots());
        QVERIFY(l.defectsDetected > 0);
        QCOMPARE(l.defectsStored, l.defectsDetected);
        QCOMPARE(l.defectsSentToUi, l.defectsDetected);
        QCOMPARE(l.defectsInKlarf, l.defectsDetected);
        QVERIFY(l.balances());

        // What the UI was sent is what the store holds, every id once.
        const core::InspectionStore store(report.databaseFile);
        QCOMPARE(static_cast<std::uint64_t>(store.defectCount(report.runId)), l.defectsDetected);
        const auto uiIds = rig.listener.ids();
        QCOMPARE(uiIds.size(), l.defectsDetected);
        std::set<std::uint64_t> unique(uiIds.begin(), uiIds.end());
        QCOMPARE(unique.size(), uiIds.size());
        std::set<std::uint64_t> stored;
        for (const core::DefectRecord &d : store.defects(report.runId)) {
            stored.insert(d.id);
        }
        QVERIFY(stored == unique);
        // And the KLARF files hold the same defects.
        std::size_t inKlarf = 0;
        for (const RunReport::Wafer &wafer : report.wafers) {
            QVERIFY(std::filesystem::exists(wafer.klarfFile));
            inKlarf += klarfDefectLines(wafer.klarfFile);
        }
        QCOMPARE(inKlarf, l.defectsDetected);
        QVERIFY(store.run(report.runId)->state == core::RunState::Completed);
    }

    void abortedRunLeaksNothingIntoTheNextRun()
    {
        const testing::Watchdog watchdog("abort then run", 120s);
        Rig rig({}, hardware::sim::SimulatorConfig::Pacing::Realtime);
        auto first = rig.engine->runLot(rig.request({"W01"}));
        QTimer::singleShot(300ms, rig.engine.get(), [&] { rig.engine->abort("test abort"); });
        auto firstOutcome = finish(std::move(first));
        QVERIFY2(std::holds_alternative<RunReport>(firstOutcome), errorOf(firstOutcome));
        const RunReport aborted = std::get<RunReport>(firstOutcome);
        QVERIFY(aborted.state == core::RunState::Aborted);
        QVERIFY(aborted.ledger.balances());
        const std::size_t firstRunUi = rig.listener.ids().size();

        auto secondOutcome = finish(rig.engine->runLot(rig.request({"W01"})));
        QVERIFY2(std::holds_alternative<RunReport>(secondOutcome), errorOf(secondOutcome));
        const RunReport second = std::get<RunReport>(secondOutcome);
        QVERIFY2(second.state == core::RunState::Completed, second.reason.c_str());
        QVERIFY(second.runId != aborted.runId);
        QVERIFY(second.ledger.balances());
        // Every frame the second run's detector saw, and every defect it produced, is the second run's.
        QCOMPARE(rig.logs.size(), 2u);
        for (const hardware::FrameMetadata &frame : rig.logs.back()->frames()) {
            QCOMPARE(frame.runId, second.runId);
        }
        const auto runs = rig.listener.runs();
        for (std::size_t i = firstRunUi; i < runs.size(); ++i) {
            QCOMPARE(runs[i], second.runId);
        }
        const core::InspectionStore store(second.databaseFile);
        for (const core::DefectRecord &d : store.defects(second.runId)) {
            QCOMPARE(d.runId, second.runId);
        }
        QCOMPARE(static_cast<std::uint64_t>(store.defectCount(aborted.runId)), aborted.ledger.defectsDetected);
        QVERIFY(store.run(aborted.runId)->state == core::RunState::Aborted);
    }

    void pausedRunResumesAndCompletes()
    {
        const testing::Watchdog watchdog("pause", 120s);
        Rig rig({}, hardware::sim::SimulatorConfig::Pacing::Realtime);
        std::vector<int> states;
        QObject::connect(rig.engine.get(), &InspectionEngine::runStateChanged,
                         [&](quint64, int state, const QString &) { states.push_back(state); });
        auto task = rig.engine->runLot(rig.request({"W01"}));
        QTimer::singleShot(300ms, rig.engine.get(), [&] { rig.engine->pause(); });
        QTimer::singleShot(800ms, rig.engine.get(), [&] { rig.engine->resume(); });
        auto outcome = finish(std::move(task));
        QVERIFY2(std::holds_alternative<RunReport>(outcome), errorOf(outcome));
        const RunReport report = std::get<RunReport>(outcome);
        QVERIFY2(report.state == core::RunState::Completed, report.reason.c_str());
        QVERIFY(std::find(states.begin(), states.end(), static_cast<int>(core::RunState::Paused)) != states.end());
        QCOMPARE(report.ledger.framesProcessed + report.ledger.framesDroppedTotal(), report.ledger.frameSlots());
        QCOMPARE(report.ledger.frameSlots(), rig.machine.dieGrid().scanOrder().size());
        QVERIFY(report.ledger.balances());
    }

    void vacuumDropAbortsTheRunByItsRecipeAction()
    {
        const testing::Watchdog watchdog("fault", 120s);
        Rig rig({"vacuum-drop:start=2s,duration=20s,kpa=20"}, hardware::sim::SimulatorConfig::Pacing::Realtime);
        auto outcome = finish(rig.engine->runLot(rig.request({"W01"})));
        QVERIFY2(std::holds_alternative<RunReport>(outcome), errorOf(outcome));
        const RunReport report = std::get<RunReport>(outcome);
        QVERIFY2(report.state == core::RunState::Aborted, report.reason.c_str());
        QVERIFY2(report.reason.find("vacuum.low") != std::string::npos, report.reason.c_str());
        QVERIFY(report.ledger.balances());
    }

    void startUpRemovesHalfWrittenCropsAndKlarfFilesAndKeepsCompleteOnes()
    {
        Rig rig;
        rig.engine.reset();
        const std::filesystem::path data = rig.dir.path().toStdString();
        const auto plant = [](const std::filesystem::path &file) {
            std::filesystem::create_directories(file.parent_path());
            std::ofstream(file) << "x";
        };
        plant(data / "staging" / "run-1" / "W01" / ".tmp-17.png");
        plant(data / "staging" / "run-1" / "W01" / "16.png");
        plant(data / "klarf" / "run-1" / "W01.klarf.Ab12Cd");
        plant(data / "klarf" / "run-1" / "W01.tif.Qx81Lm");
        plant(data / "klarf" / "run-1" / "W00.klarf");
        InspectionEngine::Setup setup;
        setup.dataFolder = data;
        setup.makeAnalyzer = [&rig](const core::Recipe &) {
            rig.logs.push_back(std::make_unique<testing::FrameLog>());
            return std::make_unique<testing::ScriptedAnalyzer>(*rig.logs.back());
        };
        rig.engine = std::make_unique<InspectionEngine>(rig.machine, std::move(setup), rig.stats);
        QVERIFY(!std::filesystem::exists(data / "staging" / "run-1" / "W01" / ".tmp-17.png"));
        QVERIFY(!std::filesystem::exists(data / "klarf" / "run-1" / "W01.klarf.Ab12Cd"));
        QVERIFY(!std::filesystem::exists(data / "klarf" / "run-1" / "W01.tif.Qx81Lm"));
        QVERIFY(std::filesystem::exists(data / "staging" / "run-1" / "W01" / "16.png"));
        QVERIFY(std::filesystem::exists(data / "klarf" / "run-1" / "W00.klarf"));
    }

    void badRequestIsRefusedBeforeAnythingStarts()
    {
        Rig rig;
        RunRequest request = rig.request({});
        auto outcome = finish(rig.engine->runLot(request));
        QVERIFY(std::holds_alternative<std::string>(outcome));
        QVERIFY2(std::get<std::string>(outcome).find("wafer") != std::string::npos, errorOf(outcome));
        QVERIFY(!rig.engine->progress().isRunning);
    }
};

QTEST_GUILESS_MAIN(InspectionEngineTest)
#include "inspection_engine_test.moc"
