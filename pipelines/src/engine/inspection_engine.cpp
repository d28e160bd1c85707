#include <waferscope/pipelines/engine/inspection_engine.h>

#include <QCoroSignal>
#include <QCoroTimer>
#include <QEventLoop>
#include <QMetaObject>
#include <QTimer>

#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>
#include <mutex>
#include <sstream>

#include <waferscope/core/alarms/start_interlock.h>
#include <waferscope/core/child_path.h>
#include <waferscope/core/lot_id.h>
#include <waferscope/core/results/klarf_writer.h>
#include <waferscope/core/runs/readiness_check.h>
#include <waferscope/core/runs/run_state_machine.h>
#include <waferscope/core/validation_error.h>
#include <waferscope/hardware/scan_plan.h>
#include <waferscope/pipelines/acquisition/acquisition_stage.h>
#include <waferscope/pipelines/engine/detection_stage.h>
#include <waferscope/pipelines/persistence/persistence_writer.h>
#include <waferscope/pipelines/services/alarm_monitor.h>
#include <waferscope/pipelines/services/hardware_poller.h>
#include <waferscope/pipelines/services/heartbeat_monitor.h>
#include <waferscope/pipelines/services/run_context.h>
#include <waferscope/pipelines/services/telemetry_batcher.h>
#include <waferscope/pipelines/staging/image_stager.h>
#include <waferscope/runtime/channel.h>
#include <waferscope/runtime/countdown.h>
#include <waferscope/runtime/frame_pool.h>
#include <waferscope/runtime/qt/as_task.h>
#include <waferscope/runtime/qt/qt_executor.h>
#include <waferscope/runtime/thread_executor.h>

namespace waferscope::pipelines {

using runtime::qt::asTask;
using SystemClock = std::chrono::system_clock;

namespace {

/// How long the engine's destructor lets a run in progress wind down after aborting it.
constexpr std::chrono::seconds kShutdownRunLimit{20};

constexpr auto kReadinessTimeout = std::chrono::seconds(3);
constexpr auto kReadinessRetry = std::chrono::milliseconds(50);
/// How long the persistence writer has to answer the readiness probe.
constexpr auto kProbeTimeout = std::chrono::seconds(5);
constexpr auto kProbePoll = std::chrono::milliseconds(10);

/// Microseconds since the epoch at start-up: run and defect ids stay unique across restarts
/// without asking the store (a restart comes later than the last id handed out, as long as fewer
/// than a million ids are handed out per second of running).
std::uint64_t epochMicros()
{
    return static_cast<std::uint64_t>(
        std::chrono::duration_cast<std::chrono::microseconds>(SystemClock::now().time_since_epoch()).count());
}

core::TelemetrySample toStored(const TelemetrySample &sample)
{
    core::TelemetrySample stored;
    stored.runId = sample.runId;
    stored.channel = std::string(sample.source);
    const auto age = std::chrono::steady_clock::now() - sample.time;
    stored.at = SystemClock::now() - std::chrono::duration_cast<SystemClock::duration>(age);
    stored.value = sample.value;
    return stored;
}

} // namespace

// --- long-lived parts ----------------------------------------------------------------------------

struct InspectionEngine::Services {
    Services(hardware::Machine &machine, const std::filesystem::path &database, runtime::StatsRegistry &stats,
             QObject *context, std::function<void(const std::string &)> onError,
             std::function<void(const RunAction &)> onRunAction, std::function<std::uint64_t()> framesLost,
             std::function<std::uint64_t()> poolExhausted, std::function<std::uint64_t()> cropsDropped,
             const std::filesystem::path &dataFolder, PersistenceWriter::Options writerOptions,
             const StorageReadiness::FreeBytes &freeDiskBytes)
        : acquisition("acquisition", &stats)
        , detection("detection", &stats)
        , staging("staging", &stats)
        , persistence("persistence", &stats)
        , background("services", &stats)
        , qt(context, "gui")
        , commands("persistence", runtime::ChannelOptions{8192, runtime::FullMode::Wait, false}, &stats)
        , writer(database, std::move(onError), &stats, std::move(writerOptions))
        , poller(machine, runContext, HardwarePollerOptions{}, &stats)
        , heartbeat(machine.controller(), HeartbeatMonitorOptions{}, &stats)
        , alarms(background, poller, heartbeat, runContext,
                 alarmOptions(std::move(onRunAction), std::move(framesLost), std::move(poolExhausted),
                              std::move(cropsDropped), dataFolder, writer, freeDiskBytes),
                 &stats)
        , batcher(poller.samples(), TelemetryBatcherOptions{}, &stats)
        , ids(epochMicros())
    {
    }

    static AlarmMonitorOptions alarmOptions(std::function<void(const RunAction &)> onRunAction,
                                            std::function<std::uint64_t()> framesLost,
                                            std::function<std::uint64_t()> poolExhausted,
                                            std::function<std::uint64_t()> cropsDropped,
                                            const std::filesystem::path &dataFolder, const PersistenceWriter &writer,
                                            const StorageReadiness::FreeBytes &freeDiskBytes)
    {
        AlarmMonitorOptions options;
        options.onRunAction = std::move(onRunAction);
        options.counters.framesLost = std::move(framesLost);
        options.counters.poolExhausted = std::move(poolExhausted);
        options.counters.cropsDropped = std::move(cropsDropped);
        options.counters.isStoreFailing = [&writer] { return writer.isStoreFailing(); };
        options.counters.databasesReplaced = [&writer] { return writer.databasesReplaced(); };
        options.dataFolder = dataFolder;
        if (freeDiskBytes) {
            options.freeDiskBytes = [freeDiskBytes, dataFolder] { return freeDiskBytes(dataFolder); };
        }
        return options;
    }

    /// Telemetry batches and alarm events go to the store, in order with everything else.
    static runtime::Job forwardTelemetry(runtime::Channel<TelemetryBatch> &batches,
                                         runtime::Channel<PersistenceCommand> &commands)
    {
        for (;;) {
            TelemetryBatch batch;
            try {
                batch = co_await batches.read();
            } catch (const runtime::ChannelClosed &) {
                co_return;
            }
            PersistenceCommand::Telemetry telemetry;
            telemetry.samples.reserve(batch.size());
            for (const TelemetrySample &sample : batch.samples()) {
                telemetry.samples.push_back(toStored(sample));
            }
            PersistenceCommand command(std::move(telemetry));
            co_await commands.write(std::move(command));
        }
    }

    static runtime::Job forwardAlarmEvents(runtime::Channel<core::AlarmEvent> &events,
                                           runtime::Channel<PersistenceCommand> &commands)
    {
        for (;;) {
            PersistenceCommand::AlarmEvents batch;
            try {
                batch.events.push_back(co_await events.read());
            } catch (const runtime::ChannelClosed &) {
                co_return;
            }
            while (std::optional<core::AlarmEvent> more = events.tryRead()) {
                batch.events.push_back(std::move(*more));
            }
            for (const core::AlarmEvent &event : batch.events) {
                spdlog::info("alarm {} {} -> {} ({})", event.tag, core::toText(event.from), core::toText(event.to),
                             event.runId.isValid() ? event.runId.toString() : std::string("no run"));
            }
            PersistenceCommand command(std::move(batch));
            co_await commands.write(std::move(command));
        }
    }

    runtime::ThreadExecutor acquisition;
    runtime::ThreadExecutor detection;
    runtime::ThreadExecutor staging;
    runtime::ThreadExecutor persistence;
    runtime::ThreadExecutor background;
    runtime::qt::QtExecutor qt;
    RunContext runContext;
    runtime::Channel<PersistenceCommand> commands;
    PersistenceWriter writer;
    HardwarePoller poller;
    HeartbeatMonitor heartbeat;
    AlarmMonitor alarms;
    TelemetryBatcher batcher;
    std::stop_source stop;
    DefectIdSource ids;
    mutable std::mutex recoveredMutex;
    std::vector<core::RunId> recovered;
    std::atomic<std::uint64_t> nextRun{epochMicros() / 1000};
};

// --- one run -------------------------------------------------------------------------------------

struct InspectionEngine::ActiveRun {
    ActiveRun(const RunRequest &wanted, runtime::StatsRegistry &stats, std::size_t frames, core::RunId id)
        : runId(id)
        , ledger(std::make_shared<RunLedger>())
        , framePool("frames",
                    runtime::FramePoolOptions{frames, static_cast<std::size_t>(wanted.recipe.frame.widthPx) *
                                                          static_cast<std::size_t>(wanted.recipe.frame.heightPx)},
                    &stats)
        , cropPool("crops",
                   runtime::FramePoolOptions{
                       static_cast<std::size_t>(std::clamp(wanted.recipe.staging.maxBacklog, 1, 4096)),
                       static_cast<std::size_t>(wanted.recipe.staging.cropSizePx) *
                           static_cast<std::size_t>(wanted.recipe.staging.cropSizePx)},
                   &stats)
        , frameChannel("frames", runtime::ChannelOptions{8, runtime::FullMode::Wait, false}, &stats)
        , cropChannel("crops",
                      runtime::ChannelOptions{static_cast<std::size_t>(std::clamp(wanted.recipe.staging.maxBacklog, 1, 4096)),
                                              runtime::FullMode::Wait, false},
                      &stats)
        , segments("segments", runtime::ChannelOptions{4, runtime::FullMode::Wait, false}, &stats)
        , stagerDone("staging-done", 1)
        , stager(*ledger, &stats)
        , request(wanted)
    {
    }

    core::RunId runId;
    std::shared_ptr<RunLedger> ledger;
    runtime::FramePool framePool;
    runtime::FramePool cropPool;
    runtime::Channel<hardware::AcquiredFrame> frameChannel;
    runtime::Channel<DefectCrop> cropChannel;
    runtime::Channel<WaferSegment> segments;
    runtime::Countdown stagerDone;
    /// One per segment: the acquisition of the segment in flight touches nothing more.
    std::optional<runtime::Countdown> acquisitionDone;
    ImageStager stager;
    std::unique_ptr<FrameAnalyzer> analyzer;
    std::unique_ptr<DetectionStage> detection;
    std::unique_ptr<AcquisitionStage> acquisition;
    core::RunStateMachine machine;
    RunRequest request;
    RunReport report;
    std::size_t diesPlanned = 0;
    std::chrono::steady_clock::time_point startedAt = std::chrono::steady_clock::now();
    std::string folderName; ///< "run-<id>"
};

// --- the facade ------------------------------------------------------------------------------------

InspectionEngine::InspectionEngine(hardware::Machine &machine, Setup setup, runtime::StatsRegistry &stats,
                                   QObject *parent)
    : EngineFacade(parent)
    , m_machine(machine)
    , m_setup(std::move(setup))
    , m_stats(stats)
    , m_defectFeed(std::make_unique<DefectFeed>(&stats, m_setup.defectFeedCapacity, m_setup.defectListener))
{
    // spdlog builds its registry and default logger on first use. Build them here, on this thread,
    // before any pipeline thread logs: libspdlog is not instrumented, so ThreadSanitizer cannot see
    // the guard of that lazy initialisation and would report the first concurrent log as a race.
    static_cast<void>(spdlog::default_logger_raw());
    // Every run's detection stage hands its defects to the UI's copy, which hands them on to the
    // setup's listener first.
    m_setup.defectListener = m_defectFeed.get();
    connect(m_defectFeed.get(), &DefectFeed::defectsArrived, this, &EngineFacade::defectsArrived);
    std::filesystem::create_directories(m_setup.dataFolder);
    std::filesystem::create_directories(m_setup.dataFolder / "staging");
    std::filesystem::create_directories(m_setup.dataFolder / "klarf");
    const auto removed = ImageStager::removeStrayTemporaries(m_setup.dataFolder / "staging");
    if (removed > 0) {
        spdlog::warn("removed {} half-written crop images left by an earlier run", removed);
    }
    const auto removedKlarf = core::KlarfWriter::removeStrayTemporaries(m_setup.dataFolder / "klarf");
    if (removedKlarf > 0) {
        spdlog::warn("removed {} half-written KLARF files left by an earlier run", removedKlarf);
    }
    // Reports from pipeline threads reach the GUI thread by slot name: a functor's slot object is
    // reference-counted inside Qt, where ThreadSanitizer cannot see it (see QtExecutor). The
    // services stop in the destructor before this object goes, so nothing is posted to it after.
    auto report = [this](const std::string &message) {
        spdlog::error("{}", message);
        QMetaObject::invokeMethod(this, "reportProblem", Qt::QueuedConnection,
                                  Q_ARG(QString, QString::fromStdString(message)));
    };
    auto onRunAction = [this](const RunAction &action) {
        QMetaObject::invokeMethod(this, "applyRunAction", Qt::QueuedConnection,
                                  Q_ARG(int, static_cast<int>(action.action)),
                                  Q_ARG(QString, QString::fromStdString(action.tag)));
    };
    PersistenceWriter::Options writerOptions;
    writerOptions.retryDelay = m_setup.storeRetryDelay;
    writerOptions.maxOutage = m_setup.maxStorageOutage;
    writerOptions.onDamagedDatabase = m_setup.onDamagedDatabase;
    writerOptions.writeHook = m_setup.storeWriteHook;
    writerOptions.onOutage = [this](PersistenceWriter::Outage outage, const std::string &reason) {
        QMetaObject::invokeMethod(this, "applyStorageOutage", Qt::QueuedConnection,
                                  Q_ARG(int, static_cast<int>(outage)), Q_ARG(QString, QString::fromStdString(reason)));
    };
    // The pipeline counters the alarm monitor watches read the current run's ledger and pools.
    m_services = std::make_unique<Services>(
        machine, m_setup.dataFolder / "inspection.db", stats, this, report, onRunAction,
        [this] { return watched().framesLost; }, [this] { return watched().poolExhausted; },
        [this] { return watched().cropsDropped; }, m_setup.dataFolder, std::move(writerOptions),
        m_setup.freeDiskBytes);
    Services &s = *m_services;
    s.persistence.spawn(s.writer.run(s.commands, [&s](std::vector<core::RunId> runs) {
        for (const core::RunId run : runs) {
            spdlog::warn("{} was interrupted by the program ending; it is marked aborted", run.toString());
        }
        const std::lock_guard lock(s.recoveredMutex);
        s.recovered = std::move(runs);
    }));
    s.background.spawn(s.poller.run(s.stop.get_token()));
    s.background.spawn(s.heartbeat.run(s.stop.get_token()));
    s.background.spawn(s.alarms.run(s.stop.get_token()));
    s.background.spawn(s.batcher.run(s.stop.get_token()));
    s.background.spawn(Services::forwardTelemetry(s.batcher.batches(), s.commands));
    s.background.spawn(Services::forwardAlarmEvents(s.alarms.events(), s.commands));
}

InspectionEngine::~InspectionEngine()
{
    Services &s = *m_services;
    if (m_run) {
        // A run still in progress ends here, aborted with the reason and stored, before the
        // pipeline stops: its coroutine is suspended on the run's channels and continues on this
        // thread's event loop, so the loop runs (bounded) until the run has wound down.
        const std::string runText = m_run->runId.toString();
        spdlog::error("the inspection engine is shut down during {}: the run is aborted", runText);
        abort("the inspection engine was shut down during the run");
        QEventLoop loop;
        QTimer check;
        const auto deadline = std::chrono::steady_clock::now() + kShutdownRunLimit;
        QObject::connect(&check, &QTimer::timeout, &loop, [this, &loop, deadline] {
            if (!m_run || std::chrono::steady_clock::now() >= deadline) {
                loop.quit();
            }
        });
        check.start(std::chrono::milliseconds(10));
        loop.exec();
        if (m_run) {
            // Wound down or not, the run's channels and pools must outlive its suspended
            // coroutine; the runtime reports what is still waiting when they go.
            spdlog::critical("{} did not wind down within {} s of the shutdown", runText,
                             std::chrono::duration_cast<std::chrono::seconds>(kShutdownRunLimit).count());
            m_machine.camera().stop();
            m_run->frameChannel.complete();
            m_run->cropChannel.complete();
            m_run->segments.complete();
        }
    }
    // Services end at their next tick and complete their outputs; the forwarders then end, and
    // the writer stores what they handed on before its channel closes.
    s.stop.request_stop();
    s.background.stop();
    s.commands.complete();
    s.persistence.stop();
    s.acquisition.stop();
    s.detection.stop();
    s.staging.stop();
    watch(nullptr);
    m_run.reset();
}

InspectionEngine::Watched InspectionEngine::watched() const
{
    const std::lock_guard lock(m_watchedMutex);
    Watched total = m_watchedBase;
    if (m_watchedRun != nullptr) {
        total.framesLost += m_watchedRun->ledger->framesLost();
        total.poolExhausted += m_watchedRun->framePool.tryRentFailures();
        total.cropsDropped += m_watchedRun->ledger->cropsDropped();
    }
    return total;
}

void InspectionEngine::watch(ActiveRun *run)
{
    const std::lock_guard lock(m_watchedMutex);
    if (m_watchedRun != nullptr) { // fold the finished run into the base: the totals only grow
        m_watchedBase.framesLost += m_watchedRun->ledger->framesLost();
        m_watchedBase.poolExhausted += m_watchedRun->framePool.tryRentFailures();
        m_watchedBase.cropsDropped += m_watchedRun->ledger->cropsDropped();
    }
    m_watchedRun = run;
}

const std::filesystem::path &InspectionEngine::databaseFile() const noexcept
{
    return m_services->writer.databaseFile();
}

const std::filesystem::path &InspectionEngine::dataFolder() const noexcept
{
    return m_setup.dataFolder;
}

std::vector<core::RunId> InspectionEngine::recoveredRuns() const
{
    const std::lock_guard lock(m_services->recoveredMutex);
    return m_services->recovered;
}

std::uint64_t InspectionEngine::defectsUnstored() const noexcept
{
    return m_services->writer.defectsUnstored();
}

std::uint64_t InspectionEngine::storageOutages() const noexcept
{
    return m_services->writer.outages();
}

std::uint64_t InspectionEngine::databasesReplaced() const noexcept
{
    return m_services->writer.databasesReplaced();
}

std::filesystem::path InspectionEngine::unstoredDefectsFile() const
{
    return m_services->writer.unstoredFile();
}

InspectionEngine::Progress InspectionEngine::progress() const
{
    Progress p;
    if (!m_run) {
        return p;
    }
    p.isRunning = true;
    p.runId = m_run->runId;
    p.state = m_run->machine.state();
    p.waferIndex = m_run->machine.currentWaferIndex();
    p.waferCount = m_run->machine.waferCount();
    p.diesPlanned = m_run->diesPlanned;
    p.ledger = m_run->ledger->totals();
    p.elapsed = std::chrono::steady_clock::now() - m_run->startedAt;
    return p;
}

void InspectionEngine::pause(std::string reason)
{
    if (!m_run || m_abortRequested) {
        return;
    }
    m_stopReason = std::move(reason);
    m_pauseRequested = true;
    m_isPausedForStorage = false;
    m_machine.camera().stop();
}

void InspectionEngine::resume()
{
    m_isPausedForStorage = false;
    if (m_pauseRequested.exchange(false)) {
        Q_EMIT resumeRequested();
    }
}

void InspectionEngine::abort(std::string reason)
{
    if (!m_run || m_abortRequested) {
        return;
    }
    m_stopReason = std::move(reason);
    m_abortRequested = true;
    m_isPausedForStorage = false;
    // Defects the writer holds for a failing store go to its file now, not after its outage limit.
    m_services->writer.abandonJournal(m_stopReason);
    m_machine.camera().stop();
    if (m_pauseRequested.exchange(false)) {
        Q_EMIT resumeRequested(); // a paused run wakes up to end
    }
}

void InspectionEngine::reportProblem(const QString &message)
{
    Q_EMIT problem(message);
}

void InspectionEngine::applyRunAction(int action, const QString &tag)
{
    onRunAction(static_cast<core::FaultAction>(action), tag.toStdString());
}

void InspectionEngine::applyStorageOutage(int outage, const QString &reason)
{
    if (!m_run) {
        return;
    }
    switch (static_cast<PersistenceWriter::Outage>(outage)) {
    case PersistenceWriter::Outage::Began:
        if (!m_pauseRequested && !m_abortRequested) {
            spdlog::warn("{}: storage failing, the run pauses: {}", m_run->runId.toString(), reason.toStdString());
            pause("storage failing: " + reason.toStdString());
            m_isPausedForStorage = true;
        }
        break;
    case PersistenceWriter::Outage::Ended:
        if (m_isPausedForStorage) {
            spdlog::info("{}: storage recovered, the run resumes", m_run->runId.toString());
            resume();
        }
        break;
    case PersistenceWriter::Outage::GaveUp:
        abort("storage failed: " + reason.toStdString() + "; the defects held are kept in " +
              m_services->writer.unstoredFile().string());
        break;
    }
}

void InspectionEngine::onRunAction(core::FaultAction action, const std::string &tag)
{
    if (!m_run) {
        return;
    }
    const std::string reason = "alarm " + tag;
    spdlog::warn("{}: {} asks to {} the run", m_run->runId.toString(), reason, core::toText(action));
    if (action == core::FaultAction::Abort) {
        abort(reason);
    } else if (action == core::FaultAction::Pause && !m_pauseRequested) {
        pause(reason);
    }
}

QCoro::Task<std::size_t> InspectionEngine::executeAlarmCommand(AlarmCommand command)
{
    co_return co_await asTask(m_services->alarms.execute(std::move(command)));
}

QCoro::Task<void> InspectionEngine::audit(core::AuditEntry entry)
{
    PersistenceCommand command(PersistenceCommand::Audit{std::move(entry)});
    co_await asTask(m_services->commands.write(std::move(command)));
}

QCoro::Task<void> InspectionEngine::recordEquipmentState(core::EquipmentStateChange change)
{
    PersistenceCommand command(PersistenceCommand::Telemetry{{core::toSample(change)}});
    co_await asTask(m_services->commands.write(std::move(command)));
}

void InspectionEngine::setMaintenance(std::string reason)
{
    if (reason != m_maintenance) {
        if (reason.empty()) {
            spdlog::info("scheduled maintenance ended");
        } else {
            spdlog::info("scheduled maintenance: {}", reason);
        }
        m_maintenance = std::move(reason);
    }
}

std::vector<core::AlarmStatus> InspectionEngine::alarms() const
{
    return m_services->alarms.alarms();
}

core::AlarmFlood InspectionEngine::alarmFlood() const
{
    return m_services->alarms.flood();
}

DeviceSnapshot InspectionEngine::devices() const
{
    return m_services->poller.snapshot();
}

HeartbeatStatus InspectionEngine::heartbeat() const
{
    return m_services->heartbeat.status();
}

void InspectionEngine::setState(ActiveRun &run, core::RunState state, const std::string &reason)
{
    spdlog::info("{}: {} ({})", run.runId.toString(), core::toText(state), reason);
    Q_EMIT runStateChanged(run.runId.value(), static_cast<int>(state), QString::fromStdString(reason));
}

std::vector<std::string> InspectionEngine::machineMismatches(const core::Recipe &recipe) const
{
    std::vector<std::string> problems;
    auto differs = [&problems](const std::string &field, const auto &wanted, const auto &actual, const char *what) {
        if (wanted != actual) {
            std::ostringstream text;
            text << field << ": the recipe asks for " << wanted << ", " << what << " " << actual;
            problems.push_back(text.str());
        }
    };
    const hardware::ImageFormat format = m_machine.camera().format();
    differs("frame.widthPx", recipe.frame.widthPx, format.width, "the camera delivers");
    differs("frame.heightPx", recipe.frame.heightPx, format.height, "the camera delivers");
    differs("frame.pixelSizeUm", recipe.frame.pixelSizeUm, format.pixelSizeUm, "the optics give");
    const core::WaferGeometry &wafer = m_machine.dieGrid().geometry();
    differs("wafer.diameterMm", recipe.wafer.diameterMm, wafer.diameterMm, "the chuck holds");
    differs("wafer.diePitch.x", recipe.wafer.pitchXMm, wafer.pitchXMm, "the stage is set up for");
    differs("wafer.diePitch.y", recipe.wafer.pitchYMm, wafer.pitchYMm, "the stage is set up for");
    differs("wafer.edgeExclusionMm", recipe.wafer.edgeExclusionMm, wafer.edgeExclusionMm, "the stage is set up for");
    return problems;
}

std::string InspectionEngine::startInterlock() const
{
    if (!m_maintenance.empty()) {
        return "the machine is in scheduled maintenance (" + m_maintenance + ")";
    }
    return core::startInterlock(alarms());
}

QCoro::Task<RunReport> InspectionEngine::runLot(RunRequest request)
{
    if (m_run) {
        throw runtime::MisuseError("a run is already in progress (" + m_run->runId.toString() + ")");
    }
    request.recipe.validate();
    if (request.wafers.size() > core::LotId::kCassetteSlots) {
        throw core::ValidationError("run request", {{"wafers", std::to_string(request.wafers.size()) +
                                                                   " wafers do not fit one cassette of " +
                                                                   std::to_string(core::LotId::kCassetteSlots)}});
    }
    if (const std::vector<std::string> problems = machineMismatches(request.recipe); !problems.empty()) {
        std::vector<core::ValidationError::Issue> issues;
        for (const std::string &problem : problems) {
            const auto colon = problem.find(':');
            issues.push_back({problem.substr(0, colon), problem.substr(colon + 2)});
        }
        throw core::ValidationError("recipe '" + request.recipe.name + "' on machine '" + std::string(m_machine.name()) + "'",
                                    std::move(issues));
    }
    if (std::string interlock = startInterlock(); !interlock.empty()) {
        throw core::ValidationError("run start", {{"alarms", std::move(interlock)}});
    }
    co_await checkStorage(request.recipe);
    Services &s = *m_services;
    const core::RunId runId(s.nextRun.fetch_add(1));
    m_pauseRequested = false;
    m_abortRequested = false;
    m_run = std::make_unique<ActiveRun>(request, m_stats, m_setup.framePoolFrames, runId);
    ActiveRun &run = *m_run;
    run.folderName = runId.toString();
    const auto now = SystemClock::now();
    try {
        run.machine.start(request.recipe.name, request.lotId, request.wafers, now);
    } catch (...) {
        m_run.reset();
        throw;
    }
    watch(&run);
    const core::DieGrid &grid = m_machine.dieGrid();
    const std::vector<core::DieIndex> dies =
        request.recipe.sampling.mode == core::Recipe::Sampling::Mode::Listed
            ? request.recipe.sampling.dies
            : std::vector<core::DieIndex>(grid.scanOrder().begin(), grid.scanOrder().end());
    run.diesPlanned = dies.size() * request.wafers.size();
    spdlog::info("{}: lot {} with {} wafer(s), recipe {} ({})", runId.toString(), request.lotId, request.wafers.size(),
                 request.recipe.name, request.recipe.summary());

    // The run's stages.
    run.analyzer = m_setup.makeAnalyzer(request.recipe);
    DetectionStage::Options options;
    options.cropSize = request.recipe.staging.cropSizePx;
    options.stageCrops = request.recipe.staging.isEnabled;
    options.stagingFolder = m_setup.dataFolder / "staging";
    options.stats = &m_stats;
    for (const core::DefectClass defectClass : core::kAllDefectClasses) {
        const auto index = static_cast<std::size_t>(defectClass);
        options.classNumbers.resize(std::max(options.classNumbers.size(), index + 1));
        options.classNumbers[index] = request.recipe.classNumberOf(defectClass).value_or(0);
    }
    run.detection = std::make_unique<DetectionStage>(
        *run.analyzer, *run.ledger, s.ids,
        DetectionStage::Outputs{s.commands, run.cropChannel, run.cropPool, run.segments, m_setup.defectListener},
        std::move(options));
    run.acquisition = std::make_unique<AcquisitionStage>(m_machine.camera(), *run.ledger);
    s.detection.spawn(run.detection->run(run.frameChannel));
    s.staging.spawn(run.stager.run(run.cropChannel, [&run] { run.stagerDone.signal(); }));

    co_await asTask(s.alarms.applyLimits(request.recipe.alarms, request.recipe.faultActions));
    s.heartbeat.setTimeout(request.recipe.alarms.heartbeatTimeout);
    s.runContext.setRunId(runId);
    {
        core::RunRecord record;
        record.id = runId;
        record.lotId = request.lotId;
        record.recipeName = request.recipe.name;
        record.recipeSummary = request.recipe.summary();
        record.recipeJson = request.recipeJson;
        record.state = core::RunState::Checking;
        record.startedAt = now;
        PersistenceCommand command(PersistenceCommand::BeginRun{std::move(record), run.ledger});
        co_await asTask(s.commands.write(std::move(command)));
    }
    setState(run, core::RunState::Checking, "lot " + request.lotId + " started by " + request.operatorName);

    bool isAborted = false;
    std::string failure;
    try {
        for (std::size_t index = 0; index < request.wafers.size() && !run.machine.isFinal(); ++index) {
            co_await scanWafer(run, index, isAborted);
            if (isAborted) {
                break;
            }
        }
    } catch (const std::exception &e) {
        failure = e.what();
    }
    if (!failure.empty() && !run.machine.isFinal()) {
        // Whatever went wrong, the run ends here with the reason, and the stages wind down below,
        // so the next Start finds no run in progress.
        spdlog::error("{}: the run fails: {}", runId.toString(), failure);
        run.machine.fail(failure, SystemClock::now());
    }

    // Wind down: detection drains and ends, then the stager, then the store catches up.
    run.frameChannel.complete();
    for (;;) {
        try {
            static_cast<void>(co_await asTask(run.segments.read()));
        } catch (const runtime::ChannelClosed &) {
            break;
        }
    }
    run.cropChannel.complete();
    co_await asTask(run.stagerDone.wait());
    // Everything the run made is stored (or counted as not) before its end is judged.
    co_await flushStore();
    core::RunState finalState = run.machine.state();
    std::string reason = run.machine.history().empty() ? std::string() : run.machine.history().back().reason;
    if (const RunLedger::Totals books = run.ledger->totals(); finalState == core::RunState::Completed && !books.balances()) {
        finalState = core::RunState::Failed;
        reason = "results not all kept: " + std::to_string(books.defectsDetected) + " defects detected, " +
                 std::to_string(books.defectsStored) + " stored, " + std::to_string(books.defectsInKlarf) +
                 " in KLARF files, " + std::to_string(books.defectsSentToUi) + " sent to the display" +
                 (books.defectsUnstored > 0 ? ", " + std::to_string(books.defectsUnstored) + " kept in " +
                                                  m_services->writer.unstoredFile().string()
                                            : std::string()) +
                 "; frames " + std::to_string(books.framesProcessed + books.framesDroppedTotal()) + " of " +
                 std::to_string(books.frameSlots()) + " accounted for";
        spdlog::error("{}: {}", runId.toString(), reason);
    }
    {
        PersistenceCommand end(PersistenceCommand::EndRun{runId, finalState, reason, SystemClock::now()});
        co_await asTask(s.commands.write(std::move(end)));
    }
    co_await flushStore();
    s.runContext.clear();
    setState(run, finalState, reason);

    RunReport report = std::move(run.report);
    report.runId = runId;
    report.state = finalState;
    report.reason = reason;
    report.ledger = run.ledger->totals();
    report.elapsed = std::chrono::steady_clock::now() - run.startedAt;
    report.databaseFile = databaseFile();
    report.stagingFolder = m_setup.dataFolder / "staging" / run.folderName;
    watch(nullptr);
    m_run.reset();
    co_return report;
}

QCoro::Task<void> InspectionEngine::flushStore()
{
    runtime::Countdown flushed("persistence-flushed", 1);
    PersistenceCommand flush(PersistenceCommand::Flush{[&flushed] { flushed.signal(); }});
    co_await asTask(m_services->commands.write(std::move(flush)));
    co_await asTask(flushed.wait());
}

QCoro::Task<void> InspectionEngine::checkStorage(const core::Recipe &recipe)
{
    if (m_isCheckingStorage) {
        throw runtime::MisuseError("a run is already being started");
    }
    m_isCheckingStorage = true;
    struct Done {
        bool &flag;
        ~Done() { flag = false; }
    } done{m_isCheckingStorage};
    StorageReadiness::Folders folders{m_setup.dataFolder, m_setup.dataFolder / "klarf", m_setup.dataFolder / "staging"};
    std::string reason = StorageReadiness::reason(folders, recipe.alarms.diskSpaceMinimumMb, m_setup.freeDiskBytes);
    if (reason.empty()) {
        // The writer answers on its own thread, in order after whatever it has queued.
        struct Answer {
            std::mutex mutex;
            std::optional<std::string> problem;
        };
        auto answer = std::make_shared<Answer>();
        PersistenceCommand probe(PersistenceCommand::Probe{[answer](const std::string &problem) {
            const std::lock_guard lock(answer->mutex);
            answer->problem = problem;
        }});
        if (!m_services->commands.tryWrite(std::move(probe))) {
            reason = "the inspection database is behind: its queue is full (" + m_services->writer.lastError() + ")";
        } else {
            const auto deadline = std::chrono::steady_clock::now() + kProbeTimeout;
            for (;;) {
                {
                    const std::lock_guard lock(answer->mutex);
                    if (answer->problem) {
                        reason = *answer->problem;
                        break;
                    }
                }
                if (std::chrono::steady_clock::now() >= deadline) {
                    reason = "the inspection database did not answer within " +
                             std::to_string(std::chrono::duration_cast<std::chrono::seconds>(kProbeTimeout).count()) +
                             " s (" + m_services->writer.lastError() + ")";
                    break;
                }
                co_await QCoro::sleepFor(kProbePoll);
            }
        }
    }
    if (!reason.empty()) {
        spdlog::error("a run was refused: {}", reason);
        Q_EMIT problem(QString::fromStdString("The run was refused: " + reason));
        throw RunRefusedError(reason);
    }
}

QCoro::Task<void> InspectionEngine::scanWafer(ActiveRun &run, std::size_t index, bool &isAborted)
{
    Services &s = *m_services;
    const RunRequest &request = run.request;
    const core::Recipe &recipe = request.recipe;
    const core::WaferId waferId = request.wafers[index];
    const std::string waferText =
        "wafer " + std::string(waferId.text()) + " (" + std::to_string(index + 1) + " of " +
        std::to_string(request.wafers.size()) + ")";

    // Checking: clamp the wafer, then the readings must come within the recipe's limits.
    co_await asTask(m_machine.vacuumChuck().clamp());
    std::string failure;
    const auto deadline = std::chrono::steady_clock::now() + kReadinessTimeout;
    for (;;) {
        const DeviceSnapshot snapshot = s.poller.snapshot();
        if (snapshot.hasData()) {
            core::ReadinessCheck::Readings readings;
            readings.vacuumKpa = snapshot.vacuum.pressureKpa;
            readings.illuminationPercent = snapshot.illumination.readbackPercent;
            readings.heartbeatAge = std::chrono::duration_cast<std::chrono::milliseconds>(
                runtime::Clock::now() - snapshot.heartbeat.timestamp);
            failure = core::ReadinessCheck::reason(recipe.alarms, readings);
        } else {
            failure = "no device readings yet";
        }
        if (failure.empty() || m_abortRequested || std::chrono::steady_clock::now() >= deadline) {
            break;
        }
        co_await QCoro::sleepFor(kReadinessRetry);
    }
    if (m_abortRequested) {
        run.machine.abort(m_stopReason, SystemClock::now());
        isAborted = true;
        co_return;
    }
    if (!failure.empty()) {
        run.machine.checksFailed(waferText + ": " + failure, SystemClock::now());
        isAborted = true;
        co_return;
    }
    run.machine.checksPassed(SystemClock::now());
    const auto waferStarted = SystemClock::now();
    {
        PersistenceCommand state(PersistenceCommand::SetRunState{run.runId, core::RunState::Running});
        co_await asTask(s.commands.write(std::move(state)));
        core::WaferRecord wafer;
        wafer.runId = run.runId;
        wafer.waferId = waferId;
        wafer.slot = request.slotOf(index);
        wafer.state = core::RunState::Running;
        wafer.startedAt = waferStarted;
        PersistenceCommand begin(PersistenceCommand::BeginWafer{std::move(wafer)});
        co_await asTask(s.commands.write(std::move(begin)));
    }
    setState(run, core::RunState::Running, waferText);

    core::WaferResult result;
    result.lotId = request.lotId;
    result.waferId = waferId;
    result.slot = request.slotOf(index);
    result.deviceId = recipe.deviceId;
    result.setupId = recipe.name;
    result.setupTime = waferStarted;
    result.stepId = "INSPECT";
    result.station = {"Waferscope", std::string(m_machine.name()), "TOOL-01"};
    result.geometry = recipe.wafer;
    for (const core::Recipe::ClassEntry &entry : recipe.defectClasses) {
        result.classes.push_back({entry.number, entry.name});
    }

    const core::DieGrid &grid = m_machine.dieGrid();
    std::vector<core::DieIndex> remaining =
        recipe.sampling.mode == core::Recipe::Sampling::Mode::Listed
            ? recipe.sampling.dies
            : std::vector<core::DieIndex>(grid.scanOrder().begin(), grid.scanOrder().end());
    bool isWaferDone = false;
    std::string hardwareFailure;
    while (!isWaferDone) {
        if (m_pauseRequested) {
            run.machine.pause(m_stopReason, SystemClock::now());
            PersistenceCommand paused(PersistenceCommand::SetRunState{run.runId, core::RunState::Paused});
            co_await asTask(s.commands.write(std::move(paused)));
            setState(run, core::RunState::Paused, m_stopReason);
            co_await qCoro(this, &InspectionEngine::resumeRequested);
            if (m_abortRequested) {
                break;
            }
            run.machine.resume(SystemClock::now());
            PersistenceCommand resumed(PersistenceCommand::SetRunState{run.runId, core::RunState::Running});
            co_await asTask(s.commands.write(std::move(resumed)));
            setState(run, core::RunState::Running, "resumed: " + waferText);
        }
        if (m_abortRequested) {
            break;
        }
        AcquisitionStage::WaferCounts counts;
        hardware::ScanPlan plan;
        plan.runId = run.runId;
        plan.waferId = waferId;
        plan.dies = remaining;
        try {
            m_machine.camera().start(std::move(plan), run.framePool);
        } catch (const std::exception &e) {
            // Nothing of this segment was acquired: the wafer ends here, and the run fails with
            // the camera's reason instead of being left behind half-started.
            hardwareFailure = e.what();
            spdlog::error("{}: {}", run.runId.toString(), hardwareFailure);
            break;
        }
        run.acquisitionDone.emplace("acquisition-done", 1);
        s.acquisition.spawn(run.acquisition->run(run.frameChannel, remaining.size(), counts,
                                                 [&run] { run.acquisitionDone->signal(); }));
        WaferSegment segment = co_await asTask(run.segments.read());
        // The acquisition may still be returning from its last write: wait until it touches
        // nothing more before the channel is reused or the run destroyed.
        co_await asTask(run.acquisitionDone->wait());
        // Join the segment into the wafer's result; KLARF numbers defects 1… over the wafer.
        result.sampledDies.insert(result.sampledDies.end(), segment.inspectedDies.begin(), segment.inspectedDies.end());
        for (core::WaferResult::Defect &defect : segment.defects) {
            defect.id = static_cast<int>(result.defects.size()) + 1;
            result.defects.push_back(std::move(defect));
        }
        // The channel's order makes the acquisition's counts visible here: it wrote them before
        // the end marker that produced this segment.
        const std::uint64_t answered = counts.acquired + counts.lost + counts.disconnected;
        remaining.erase(remaining.begin(),
                        remaining.begin() + static_cast<std::ptrdiff_t>(std::min<std::uint64_t>(answered, remaining.size())));
        isWaferDone = segment.isWaferEnd || remaining.empty();
    }

    const bool isWaferAborted = !isWaferDone;
    const auto ended = SystemClock::now();
    result.fileTime = ended;
    result.resultTime = ended;
    core::WaferRecord wafer;
    wafer.runId = run.runId;
    wafer.waferId = waferId;
    wafer.slot = result.slot;
    wafer.state = isWaferAborted ? core::RunState::Aborted : core::RunState::Completed;
    wafer.startedAt = waferStarted;
    wafer.endedAt = ended;
    const std::string stopReason = hardwareFailure.empty() ? m_stopReason : hardwareFailure;
    wafer.endReason = isWaferAborted ? stopReason : "scanned";
    wafer.dieCount = static_cast<std::int64_t>(result.sampledDies.size());
    wafer.defectCount = static_cast<std::int64_t>(result.defects.size());
    // A wafer aborted before its first die has nothing a KLARF file could describe: it is stored
    // with its reason and gets no file. A completed wafer always gets one (and fails the run's
    // books if it cannot be written).
    std::filesystem::path klarf;
    if (!isWaferAborted || !result.sampledDies.empty()) {
        klarf = core::childPath(m_setup.dataFolder, {"klarf", run.folderName, std::string(waferId.text()) + ".klarf"});
        std::filesystem::create_directories(klarf.parent_path());
    } else {
        spdlog::info("{}: {} ended before its first die ({}); no KLARF file", run.runId.toString(), waferText,
                     wafer.endReason);
    }

    RunReport::Wafer summary;
    summary.waferId = waferId;
    summary.state = wafer.state;
    summary.diesInspected = result.sampledDies.size();
    summary.defects = result.defects.size();
    summary.klarfFile = klarf;
    run.report.wafers.push_back(summary);
    {
        PersistenceCommand end(PersistenceCommand::EndWafer{std::move(wafer), std::move(result), klarf});
        co_await asTask(s.commands.write(std::move(end)));
    }
    if (!hardwareFailure.empty()) {
        run.machine.fail(hardwareFailure, ended);
        isAborted = true;
    } else if (isWaferAborted) {
        run.machine.abort(m_stopReason, ended);
        isAborted = true;
    } else {
        run.machine.waferCompleted(ended);
        if (!run.machine.isFinal()) {
            setState(run, core::RunState::Checking, "next wafer");
        }
    }
}

} // namespace waferscope::pipelines
