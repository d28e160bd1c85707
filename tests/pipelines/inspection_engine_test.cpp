#include <QCoreApplication>
#include <QTest>
#include <QTimer>

#include <QCoroTask>

#include <fstream>
#include <set>
#include <string>
#include <variant>

#include <waferscope/core/persistence/inspection_store.h>
#include <waferscope/core/validation_error.h>
#include <waferscope/hardware/hardware_error.h>
#include <waferscope/pipelines/services/alarm_command.h>
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

namespace {

/// The simulated machine with a camera whose start() can be made to fail, as a camera that refuses
/// its settings or drops off the network between two dies does.
class CameraFailingMachine final : public hardware::Machine
{
public:
    explicit CameraFailingMachine(hardware::Machine &inner)
        : m_inner(inner)
        , m_camera(inner.camera())
    {
    }

    class Camera final : public hardware::Camera
    {
    public:
        explicit Camera(hardware::Camera &inner)
            : m_inner(inner)
        {
        }
        [[nodiscard]] hardware::ImageFormat format() const override { return m_inner.format(); }
        void start(hardware::ScanPlan plan, runtime::FramePool &pool, hardware::TriggerMode mode) override
        {
            if (failStarts) {
                throw hardware::HardwareError("camera", "the camera refused its settings");
            }
            m_inner.start(std::move(plan), pool, mode);
        }
        void stop() override { m_inner.stop(); }
        void trigger() override { m_inner.trigger(); }
        [[nodiscard]] runtime::ValueTask<hardware::AcquiredFrame> acquire() override { return m_inner.acquire(); }
        [[nodiscard]] runtime::ValueTask<hardware::CameraState> state() override { return m_inner.state(); }

        std::atomic<bool> failStarts{false};

    private:
        hardware::Camera &m_inner;
    };

    [[nodiscard]] std::string_view name() const noexcept override { return m_inner.name(); }
    [[nodiscard]] const core::DieGrid &dieGrid() const noexcept override { return m_inner.dieGrid(); }
    [[nodiscard]] hardware::Camera &camera() noexcept override { return m_camera; }
    [[nodiscard]] hardware::Stage &stage() noexcept override { return m_inner.stage(); }
    [[nodiscard]] hardware::Illumination &illumination() noexcept override { return m_inner.illumination(); }
    [[nodiscard]] hardware::VacuumChuck &vacuumChuck() noexcept override { return m_inner.vacuumChuck(); }
    [[nodiscard]] hardware::MachineController &controller() noexcept override { return m_inner.controller(); }

    Camera &failingCamera() noexcept { return m_camera; }

private:
    hardware::Machine &m_inner;
    Camera m_camera;
};

} // namespace

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

    void anUnacknowledgedCriticalAlarmBlocksTheNextStartUntilATechnicianAcknowledgesIt()
    {
        const testing::Watchdog watchdog("start interlock", 120s);
        Rig rig({"vacuum-drop:start=2s,duration=20s,kpa=20"}, hardware::sim::SimulatorConfig::Pacing::Realtime);
        auto outcome = finish(rig.engine->runLot(rig.request({"W01"})));
        QVERIFY2(std::holds_alternative<RunReport>(outcome), errorOf(outcome));
        QVERIFY(std::get<RunReport>(outcome).state == core::RunState::Aborted);

        const std::string interlock = rig.engine->startInterlock();
        QVERIFY2(interlock.find("vacuum.low (critical) is not acknowledged") != std::string::npos, interlock.c_str());
        auto refused = finish(rig.engine->runLot(rig.request({"W02"})));
        QVERIFY(std::holds_alternative<std::string>(refused));
        QVERIFY2(std::get<std::string>(refused).find("alarms: alarm vacuum.low (critical) is not acknowledged") !=
                     std::string::npos,
                 errorOf(refused));
        QVERIFY(!rig.engine->progress().isRunning);

        // Acknowledged by a technician, the interlock is gone (the readiness checks still stand).
        auto acknowledge = [&]() -> QCoro::Task<std::size_t> {
            // Named first: GCC 12 destroys aggregate temporaries inside an await expression twice.
            pipelines::AlarmCommand command =
                pipelines::AlarmCommand::acknowledge("vacuum.low", core::AlarmActor{"tina", "technician"}, "chuck checked");
            co_return co_await rig.engine->executeAlarmCommand(std::move(command));
        };
        QCOMPARE(QCoro::waitFor(acknowledge()), std::size_t{1});
        QVERIFY2(rig.engine->startInterlock().empty(), rig.engine->startInterlock().c_str());
    }

    void scheduledMaintenanceRefusesAStartUntilItEndsAndTheStateIsStored()
    {
        const testing::Watchdog watchdog("maintenance", 120s);
        Rig rig;
        rig.engine->setMaintenance("lamp replacement");
        QCOMPARE(rig.engine->maintenance(), std::string("lamp replacement"));
        auto refused = finish(rig.engine->runLot(rig.request({"W01"})));
        QVERIFY(std::holds_alternative<std::string>(refused));
        QVERIFY2(std::get<std::string>(refused).find("scheduled maintenance (lamp replacement)") != std::string::npos,
                 errorOf(refused));
        QVERIFY(!rig.engine->progress().isRunning);

        // The console's E10 record goes through the writer to the store, in order.
        const auto at = std::chrono::system_clock::now();
        QCoro::waitFor(rig.engine->recordEquipmentState({core::EquipmentState::ScheduledDown, at}));
        rig.engine->setMaintenance({});
        auto outcome = finish(rig.engine->runLot(rig.request({"W01"})));
        QVERIFY2(std::holds_alternative<RunReport>(outcome), errorOf(outcome));
        const core::InspectionStore store(rig.engine->databaseFile());
        const auto samples = store.telemetry(std::string(core::kEquipmentStateChannel), at - 1s, at + 1s, 10);
        QCOMPARE(samples.size(), std::size_t{1});
        QCOMPARE(core::equipmentStateOf(samples.front())->state, core::EquipmentState::ScheduledDown);
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

    void aRecipeForAnotherMachineIsRefusedBeforeAnyRunExistsAndTheNextStartWorks()
    {
        const testing::Watchdog watchdog("recipe for another machine", 120s);
        Rig rig;
        RunRequest request = rig.request({"W01"});
        request.recipe.frame.widthPx /= 2;
        request.recipe.wafer.diameterMm = rig.machine.config().wafer.diameterMm == 200.0 ? 300.0 : 200.0;
        const std::vector<std::string> mismatches = rig.engine->machineMismatches(request.recipe);
        QCOMPARE(mismatches.size(), std::size_t{2});
        auto refused = finish(rig.engine->runLot(request));
        QVERIFY(std::holds_alternative<std::string>(refused));
        const std::string error = std::get<std::string>(refused);
        QVERIFY2(error.find("frame.widthPx: the recipe asks for " + std::to_string(request.recipe.frame.widthPx) +
                            ", the camera delivers " + std::to_string(rig.machine.config().image.width)) != std::string::npos,
                 error.c_str());
        QVERIFY2(error.find("wafer.diameterMm: the recipe asks for " +
                            std::to_string(static_cast<int>(request.recipe.wafer.diameterMm))) != std::string::npos,
                 error.c_str());
        QVERIFY(!rig.engine->progress().isRunning);

        // Nothing was left behind: the next start on the machine's own recipe runs, and it is the
        // only run the store knows.
        auto next = finish(rig.engine->runLot(rig.request({"W01"})));
        QVERIFY2(std::holds_alternative<RunReport>(next), errorOf(next));
        const RunReport report = std::get<RunReport>(next);
        QVERIFY2(report.state == core::RunState::Completed, report.reason.c_str());
        const core::InspectionStore store(report.databaseFile);
        const auto runs = store.runs(10);
        QCOMPARE(runs.size(), std::size_t{1});
        QCOMPARE(runs.front().run.id, report.runId);
    }

    void aCameraThatFailsMidRunEndsTheRunFailedWithItsReasonAndTheNextStartWorks()
    {
        const testing::Watchdog watchdog("camera failure", 120s);
        QTemporaryDir dir;
        runtime::StatsRegistry stats;
        hardware::sim::SimulatedMachine simulated(Rig::configWith({}, hardware::sim::SimulatorConfig::Pacing::Unpaced));
        CameraFailingMachine machine(simulated);
        testing::CountingListener listener;
        std::vector<std::unique_ptr<testing::FrameLog>> logs;
        InspectionEngine::Setup setup;
        setup.dataFolder = std::filesystem::path(dir.path().toStdString());
        setup.defectListener = &listener;
        setup.makeAnalyzer = [&logs](const core::Recipe &) {
            logs.push_back(std::make_unique<testing::FrameLog>());
            return std::make_unique<testing::ScriptedAnalyzer>(*logs.back());
        };
        InspectionEngine engine(machine, std::move(setup), stats);
        RunRequest request;
        request.recipe.name = "test";
        request.recipe.wafer = simulated.config().wafer;
        request.recipe.frame.widthPx = simulated.config().image.width;
        request.recipe.frame.heightPx = simulated.config().image.height;
        request.recipe.frame.pixelSizeUm = simulated.config().image.pixelSizeUm;
        request.lotId = "LOT1";
        request.wafers = {core::WaferId("W01"), core::WaferId("W02")};

        machine.failingCamera().failStarts = true;
        auto failed = finish(engine.runLot(request));
        QVERIFY2(std::holds_alternative<RunReport>(failed), errorOf(failed));
        const RunReport report = std::get<RunReport>(failed);
        QVERIFY(report.state == core::RunState::Failed);
        QVERIFY2(report.reason.find("the camera refused its settings") != std::string::npos, report.reason.c_str());
        QVERIFY(report.ledger.balances());
        QVERIFY(!engine.progress().isRunning);
        {
            const core::InspectionStore store(report.databaseFile);
            const auto run = store.run(report.runId);
            QVERIFY(run.has_value());
            QVERIFY(run->state == core::RunState::Failed);
            QVERIFY2(run->endReason.find("the camera refused its settings") != std::string::npos, run->endReason.c_str());
        }

        machine.failingCamera().failStarts = false;
        auto next = finish(engine.runLot(request));
        QVERIFY2(std::holds_alternative<RunReport>(next), errorOf(next));
        QVERIFY2(std::get<RunReport>(next).state == core::RunState::Completed, std::get<RunReport>(next).reason.c_str());
    }
};

QTEST_GUILESS_MAIN(InspectionEngineTest)
#include "inspection_engine_test.moc"
