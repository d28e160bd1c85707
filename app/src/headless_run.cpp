#include "headless_run.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTimer>

#include <QCoroSignal>

#include <spdlog/spdlog.h>

#include <cstdio>
#include <unistd.h>

#include <waferscope/core/lot_id.h>
#include <waferscope/core/persistence/inspection_store.h>
#include <waferscope/core/recipes/recipe_parser.h>
#include <waferscope/core/validation_error.h>
#include <waferscope/hardware/sim/simulated_machine.h>
#include <waferscope/pipelines/engine/detector_analyzer.h>
#include <waferscope/pipelines/engine/inspection_engine.h>
#include <waferscope/pipelines/engine/run_refused_error.h>
#include <waferscope/runtime/allocation_counter.h>
#include <waferscope/runtime/stats_registry.h>

#include "gem_setup.h"
#include "simulator_setup.h"
#include "machine_setup.h"
#include "stop_signals.h"

namespace waferscope::app {

namespace {

/// Recall and precision against the simulator's truth. A truth defect counts when the defect itself
/// is at least `minSizePx` pixels on its longer side (DefectTruth::sizeUm: its box would also count
/// the margin around a pattern defect, a few pixels of its own at coarse pixel sizes); it is found
/// when a detection on the same die overlaps its box (grown by `tolerancePx`). A detection is right
/// when it overlaps any truth defect of its die.
struct Accuracy {
    std::size_t truthDefects = 0;
    std::size_t truthFound = 0;
    std::size_t detections = 0;
    std::size_t detectionsRight = 0;
    [[nodiscard]] double recall() const { return truthDefects == 0 ? 1.0 : double(truthFound) / double(truthDefects); }
    [[nodiscard]] double precision() const
    {
        return detections == 0 ? 1.0 : double(detectionsRight) / double(detections);
    }
};

bool overlaps(const hardware::sim::DefectTruth::PixelBox &truth, const core::DefectRecord::PixelBox &found, int tolerance)
{
    return found.x <= truth.x + truth.width - 1 + tolerance && truth.x - tolerance <= found.x + found.width - 1 &&
           found.y <= truth.y + truth.height - 1 + tolerance && truth.y - tolerance <= found.y + found.height - 1;
}

Accuracy score(const hardware::sim::WaferTruth &truth, const std::vector<core::DefectRecord> &found, int minSizePx,
               double pixelUm)
{
    constexpr int kTolerancePx = 2;
    Accuracy accuracy;
    accuracy.detections = found.size();
    for (const auto &t : truth.defects()) {
        if (t.sizeUm / pixelUm < minSizePx) {
            continue;
        }
        ++accuracy.truthDefects;
        for (const auto &f : found) {
            if (f.die == t.die && overlaps(t.pixels, f.box, kTolerancePx)) {
                ++accuracy.truthFound;
                break;
            }
        }
    }
    for (const auto &f : found) {
        for (const auto &t : truth.defectsOn(f.die)) {
            if (overlaps(t.pixels, f.box, kTolerancePx)) {
                ++accuracy.detectionsRight;
                break;
            }
        }
    }
    return accuracy;
}

core::Recipe loadRecipe(const CommandLine &options)
{
    const std::filesystem::path file =
        options.recipeFile.empty() ? std::filesystem::path(WAFERSCOPE_RECIPES_DIR) / "default.json" : options.recipeFile;
    return core::RecipeParser::parseFile(file);
}

void printValidation(const std::exception &e)
{
    std::fprintf(stderr, "waferscope: %s\n", e.what());
    if (const auto *validation = dynamic_cast<const core::ValidationError *>(&e)) {
        for (const auto &issue : validation->issues()) {
            std::fprintf(stderr, "  %s: %s\n", issue.field.c_str(), issue.problem.c_str());
        }
    }
}

QJsonObject framesJson(const pipelines::RunLedger::Totals &l)
{
    QJsonObject dropped;
    for (const auto reason : pipelines::kAllFrameDropReasons) {
        dropped.insert(QString::fromStdString(std::string(pipelines::toText(reason))),
                       static_cast<qint64>(l.dropped(reason)));
    }
    return QJsonObject{{"acquired", static_cast<qint64>(l.framesAcquired)},
                       {"processed", static_cast<qint64>(l.framesProcessed)},
                       {"dropped", dropped},
                       {"slots", static_cast<qint64>(l.frameSlots())}};
}

QJsonObject cropsJson(const pipelines::RunLedger::Totals &l)
{
    QJsonObject dropped;
    for (const auto reason : pipelines::kAllCropDropReasons) {
        dropped.insert(QString::fromStdString(std::string(pipelines::toText(reason))),
                       static_cast<qint64>(l.dropped(reason)));
    }
    return QJsonObject{{"staged", static_cast<qint64>(l.cropsStaged)}, {"dropped", dropped}};
}

/// Frames the camera received but did not hand on, by reason; empty for the simulator's camera.
QJsonObject cameraDropsJson(const MachineSetup &setup)
{
    QJsonObject dropped;
    for (const auto &[reason, count] : setup.cameraDrops()) {
        dropped.insert(QString::fromStdString(reason), static_cast<qint64>(count));
    }
    return dropped;
}

void drawProgress(const pipelines::InspectionEngine::Progress &p)
{
    if (!p.isRunning || p.diesPlanned == 0) {
        return;
    }
    const double done = double(p.ledger.frameSlots()) / double(p.diesPlanned);
    constexpr int kWidth = 30;
    const int filled = std::clamp(static_cast<int>(done * kWidth), 0, kWidth);
    const double seconds = std::chrono::duration<double>(p.elapsed).count();
    std::fprintf(stderr, "\r[%.*s%*s] %3.0f%%  wafer %zu/%zu  dies %llu/%zu  defects %llu  %.1f fps  %-9s", filled,
                 "##############################", kWidth - filled, "", done * 100.0, p.waferIndex + 1, p.waferCount,
                 static_cast<unsigned long long>(p.ledger.frameSlots()), p.diesPlanned,
                 static_cast<unsigned long long>(p.ledger.defectsDetected),
                 seconds > 0 ? double(p.ledger.framesProcessed) / seconds : 0.0,
                 std::string(core::toText(p.state)).c_str());
    std::fflush(stderr);
}

} // namespace

QCoro::Task<int> runHeadless(CommandLine options, StopSignals *stops)
{
    core::Recipe recipe;
    std::unique_ptr<MachineSetup> setupMachine;
    try {
        recipe = loadRecipe(options);
        setupMachine = std::make_unique<MachineSetup>(recipe, options);
    } catch (const std::exception &e) {
        printValidation(e);
        co_return exit_code::kBadOptions;
    }
    if (options.onDamagedDatabase == pipelines::DamagedDatabasePolicy::Refuse) {
        const std::filesystem::path database = options.outputFolder / "inspection.db";
        if (const std::optional<std::string> damage = core::InspectionStore::findDamage(database)) {
            std::fprintf(stderr,
                         "waferscope: the inspection database %s is damaged (%s); it was left as it is and nothing "
                         "was started (--on-damaged-database refuse). Move it aside, or start with "
                         "--on-damaged-database replace to have that done.\n",
                         database.c_str(), damage->c_str());
            co_return exit_code::kDamagedDatabase;
        }
    }
    hardware::Machine &machine = setupMachine->machine();
    runtime::StatsRegistry stats;
    pipelines::InspectionEngine::Setup setup;
    setup.dataFolder = options.outputFolder;
    setup.makeAnalyzer = [](const core::Recipe &r) { return std::make_unique<pipelines::DetectorAnalyzer>(r); };
    setup.onDamagedDatabase = options.onDamagedDatabase;
    pipelines::InspectionEngine engine(machine, setup, stats);
    // With --gem-port the lot is the one a host starts (S2F41 START); until then the program waits.
    std::unique_ptr<pipelines::gem::GemService> gem;
    try {
        gem = makeGemService(options, engine);
    } catch (const std::exception &e) {
        printValidation(e);
        co_return 2;
    }

    // A stop signal aborts the run; one that comes before the run exists aborts it as it begins.
    int stopSignal = 0;
    auto stopRun = [&engine, &stopSignal] {
        if (stopSignal != 0 && engine.progress().isRunning) {
            engine.abort("stopped by " + StopSignals::nameOf(stopSignal));
        }
    };
    // Nobody at a headless run resumes a paused one by hand. A run paused for failing storage
    // resumes by itself when the store recovers (the writer's outage limit ends it otherwise); one
    // the GEM host paused is the host's; a run paused by an alarm waits --paused-limit for a GEM
    // host to resume it, then is aborted with the reason, so an unattended run never waits forever.
    QTimer pausedLimit;
    pausedLimit.setSingleShot(true);
    pausedLimit.setInterval(std::chrono::duration_cast<std::chrono::milliseconds>(options.pausedLimit));
    std::string pausedBecause;
    QObject::connect(&pausedLimit, &QTimer::timeout, &engine, [&engine, &pausedBecause, &options] {
        if (engine.progress().isRunning && engine.progress().state == core::RunState::Paused) {
            const std::string reason = "paused for " + std::to_string(options.pausedLimit.count()) +
                                       " s with nobody to resume it (--paused-limit): " + pausedBecause;
            spdlog::error("{}", reason);
            engine.abort(reason);
        }
    });
    QObject::connect(&engine, &pipelines::InspectionEngine::runStateChanged, &engine,
                     [&pausedLimit, &pausedBecause, &options, isTerminal = ::isatty(STDERR_FILENO) != 0](
                         quint64 run, int state, const QString &reason) {
                         if (static_cast<core::RunState>(state) != core::RunState::Paused) {
                             pausedLimit.stop();
                             return;
                         }
                         pausedBecause = reason.toStdString();
                         const bool isStorage = pausedBecause.starts_with("storage failing");
                         if (isStorage) {
                             std::fprintf(stderr,
                                          "%swaferscope: %s paused: %s. It resumes by itself when the storage "
                                          "recovers; SIGTERM or Ctrl-C aborts it cleanly.\n",
                                          isTerminal ? "\n" : "", core::RunId(run).toString().c_str(),
                                          pausedBecause.c_str());
                             return;
                         }
                         if (!pausedBecause.starts_with("alarm ")) {
                             // Paused by the GEM host: it is the host's to resume or abort.
                             std::fprintf(stderr, "%swaferscope: %s paused: %s.\n", isTerminal ? "\n" : "",
                                          core::RunId(run).toString().c_str(), pausedBecause.c_str());
                             return;
                         }
                         std::fprintf(stderr,
                                      "%swaferscope: %s paused: %s. A GEM host may resume it (S2F41 RESUME); "
                                      "otherwise it is aborted in %lld s (--paused-limit). SIGTERM or Ctrl-C "
                                      "aborts it now.\n",
                                      isTerminal ? "\n" : "", core::RunId(run).toString().c_str(),
                                      pausedBecause.c_str(), static_cast<long long>(options.pausedLimit.count()));
                         pausedLimit.start();
                     });
    if (stops != nullptr) {
        stopSignal = stops->received();
        QObject::connect(stops, &StopSignals::stopRequested, &engine, [&stopSignal, stopRun](int signalNumber) {
            stopSignal = signalNumber;
            spdlog::warn("{} received: the run is aborted", StopSignals::nameOf(signalNumber));
            stopRun();
        });
        QObject::connect(&engine, &pipelines::InspectionEngine::runStateChanged, &engine, stopRun);
    }

    pipelines::RunRequest request;
    request.recipe = recipe;
    request.lotId = options.lotId;
    request.wafers = core::LotId(options.lotId).waferIds(static_cast<std::size_t>(options.wafers));

    const bool isTerminal = ::isatty(STDERR_FILENO) != 0;
    QTimer progressTimer;
    // Allocations per frame once the pipeline is warm: counted between the first progress tick
    // after the first wafer's reference is learnt and the end of the run.
    std::uint64_t warmAllocations = 0;
    std::uint64_t warmFrames = 0;
    bool isWarm = false;
    QObject::connect(&progressTimer, &QTimer::timeout, [&] {
        const auto p = engine.progress();
        if (!isWarm && p.ledger.framesProcessed >= 20) {
            isWarm = true;
            warmAllocations = runtime::processAllocations();
            warmFrames = p.ledger.framesProcessed;
        }
        if (isTerminal) {
            drawProgress(p);
        }
    });
    progressTimer.start(200);

    pipelines::RunReport report;
    try {
        if (gem) {
            auto [hostRequest, hostReport] = co_await qCoro(gem.get(), &pipelines::gem::GemService::lotEnded);
            request = std::move(hostRequest);
            recipe = request.recipe;
            report = std::move(hostReport);
        } else {
            report = co_await engine.runLot(request);
        }
    } catch (const pipelines::RunRefusedError &e) {
        progressTimer.stop();
        std::fprintf(stderr, "%swaferscope: %s\n", isTerminal ? "\n" : "", e.what());
        co_return stopSignal != 0 ? exit_code::kStoppedBySignal + stopSignal : exit_code::kRunRefused;
    } catch (const std::exception &e) {
        progressTimer.stop();
        printValidation(e);
        co_return exit_code::kBadOptions;
    }
    progressTimer.stop();
    const std::uint64_t endAllocations = runtime::processAllocations();
    if (isTerminal) {
        std::fprintf(stderr, "\n");
    }

    // Accuracy against the simulator's truth, wafer by wafer, from what the store holds.
    // A store that cannot be read now (the fault that ended the run) leaves these at zero, said so.
    Accuracy total;
    std::size_t alarmsRaised = 0;
    std::string storeProblem;
    try {
        const core::InspectionStore store(report.databaseFile);
        // A real camera images no wafer the simulator knows: there is no truth to score against.
        for (const auto &wafer : report.wafers) {
            if (setupMachine->hasRealCamera()) {
                break;
            }
            const Accuracy a = score(setupMachine->simulator().truth(wafer.waferId), store.defects(report.runId, wafer.waferId),
                                     recipe.detection.minDefectSizePx, recipe.frame.pixelSizeUm);
            total.truthDefects += a.truthDefects;
            total.truthFound += a.truthFound;
            total.detections += a.detections;
            total.detectionsRight += a.detectionsRight;
        }
        for (const auto &event : store.alarmEvents(report.runId)) {
            alarmsRaised += event.event.kind == core::AlarmEventKind::Activated ? 1 : 0;
        }
    } catch (const std::exception &e) {
        storeProblem = e.what();
        spdlog::error("the summary cannot read the database: {}", storeProblem);
    }
    {
        const double seconds = std::chrono::duration<double>(report.elapsed).count();
        const auto &l = report.ledger;
        QJsonArray wafers;
        for (const auto &wafer : report.wafers) {
            wafers.append(QJsonObject{{"wafer", QString::fromStdString(std::string(wafer.waferId.text()))},
                                      {"state", QString::fromStdString(std::string(core::toText(wafer.state)))},
                                      {"dies_inspected", static_cast<qint64>(wafer.diesInspected)},
                                      {"defects", static_cast<qint64>(wafer.defects)},
                                      {"klarf", QString::fromStdString(wafer.klarfFile.string())}});
        }
        const std::uint64_t framesAfterWarm = l.framesProcessed > warmFrames ? l.framesProcessed - warmFrames : 0;
        QJsonObject summary{
            {"run", QString::fromStdString(report.runId.toString())},
            {"state", QString::fromStdString(std::string(core::toText(report.state)))},
            {"reason", QString::fromStdString(report.reason)},
            {"lot", QString::fromStdString(request.lotId)},
            {"recipe", QString::fromStdString(recipe.name)},
            {"frames", framesJson(l)},
            {"defects",
             QJsonObject{{"detected", static_cast<qint64>(l.defectsDetected)},
                         {"stored", static_cast<qint64>(l.defectsStored)},
                         {"sent_to_ui", static_cast<qint64>(l.defectsSentToUi)},
                         {"in_klarf", static_cast<qint64>(l.defectsInKlarf)},
                         {"kept_in_file", static_cast<qint64>(l.defectsUnstored)},
                         {"file", QString::fromStdString(engine.unstoredDefectsFile().string())}}},
            {"storage_outages", static_cast<qint64>(engine.storageOutages())},
            {"databases_replaced", static_cast<qint64>(engine.databasesReplaced())},
            {"crops", cropsJson(l)},
            {"ledger_balances", l.balances()},
            {"accuracy",
             setupMachine->hasRealCamera() ? QJsonValue(QJsonValue::Null) : QJsonValue(QJsonObject{{"min_defect_size_px", recipe.detection.minDefectSizePx},
                         {"truth_defects", static_cast<qint64>(total.truthDefects)},
                         {"truth_found", static_cast<qint64>(total.truthFound)},
                         {"detections", static_cast<qint64>(total.detections)},
                         {"detections_matching_truth", static_cast<qint64>(total.detectionsRight)},
                         {"recall", total.recall()},
                         {"precision", total.precision()}})},
            {"alarms_raised", static_cast<qint64>(alarmsRaised)},
            {"machine", QString::fromStdString(std::string(machine.name()))},
            {"camera_frames_dropped", cameraDropsJson(*setupMachine)},
            {"database_readable", storeProblem.empty()},
            {"seconds", seconds},
            {"frames_per_second", seconds > 0 ? double(l.framesProcessed) / seconds : 0.0},
            {"allocations_per_frame_steady_state",
             isWarm && framesAfterWarm > 0 ? double(endAllocations - warmAllocations) / double(framesAfterWarm)
                                            : -1.0},
            {"wafers", wafers},
            {"database", QString::fromStdString(report.databaseFile.string())},
            {"staging", QString::fromStdString(report.stagingFolder.string())},
        };
        std::printf("%s", QJsonDocument(summary).toJson(QJsonDocument::Indented).constData());
        std::fflush(stdout);
    }
    if (stopSignal != 0) {
        co_return exit_code::kStoppedBySignal + stopSignal;
    }
    // The engine ends a run whose books do not balance Failed; the exit code checks it again.
    co_return report.state == core::RunState::Completed && report.ledger.balances() ? exit_code::kCompleted
                                                                                   : exit_code::kNotCompleted;
}

} // namespace waferscope::app
