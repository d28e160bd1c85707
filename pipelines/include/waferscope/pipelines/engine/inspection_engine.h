#pragma once

/// InspectionEngine: the EngineFacade the console and the headless mode call — the boundary between
/// the UI's ordinary Qt code and the pipelines. It owns the pipeline's executors (acquisition,
/// detection, staging, persistence, services), the persistence writer and the background services
/// (hardware poller, heartbeat monitor, alarm monitor, telemetry batcher), which run from
/// construction to destruction, the UI's copy of the defects (a DefectFeed, emitted as
/// defectsArrived()), and builds the stages of each run.
/// Contract: every task it returns resumes, and every signal it emits, on the thread that created it
/// (the GUI thread); it hands out plain values and snapshots, never value tasks, channels or
/// pooled buffers.
/// Runs: runLot() runs one lot — Checking → Running ⇄ Paused → Completed | Aborted | Failed, as the
/// core RunStateMachine rules — wafer after wafer, and returns the RunReport once everything the run
/// produced is stored: defects in the database, crops on disk, a KLARF file per wafer. One run at a
/// time. pause(), resume() and abort() act at the next die boundary; a fault whose recipe action is
/// pause or abort does the same on its own.
/// Threads: construct, call and destroy on one thread with a Qt event loop.
/// Allocates: per run (pools, channels, stages); per frame nothing in the pipeline's machinery.

#include <QObject>

#include <QCoroTask>

#include <atomic>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include <waferscope/core/alarms/alarm_flood.h>
#include <waferscope/core/alarms/alarm_status.h>
#include <waferscope/core/persistence/audit_entry.h>
#include <waferscope/core/runs/run_state.h>
#include <waferscope/hardware/machine.h>
#include <waferscope/pipelines/engine/defect_feed.h>
#include <waferscope/pipelines/engine/defect_listener.h>
#include <waferscope/pipelines/engine/engine_facade.h>
#include <waferscope/pipelines/engine/frame_analyzer.h>
#include <waferscope/pipelines/engine/run_report.h>
#include <waferscope/pipelines/engine/run_request.h>
#include <waferscope/pipelines/run/run_ledger.h>
#include <waferscope/pipelines/services/alarm_command.h>
#include <waferscope/pipelines/services/device_snapshot.h>
#include <waferscope/pipelines/services/heartbeat_status.h>
#include <waferscope/runtime/stats_registry.h>

namespace waferscope::pipelines {

class InspectionEngine final : public EngineFacade
{
    Q_OBJECT

public:
    /// Makes the detector for a run's recipe.
    using AnalyzerFactory = std::function<std::unique_ptr<FrameAnalyzer>(const core::Recipe &recipe)>;

    struct Setup {
        std::filesystem::path dataFolder; ///< database, staged crops, KLARF files
        AnalyzerFactory makeAnalyzer;
        /// Called on the detection executor with every defect, before the UI's copy takes it.
        DefectListener *defectListener = nullptr;
        std::size_t framePoolFrames = 16;
        /// How many defects the UI's copy holds for the GUI thread before it drops (and counts) more.
        std::size_t defectFeedCapacity = DefectFeed::kDefaultCapacity;
        /// On the simulated machine: starts a fault now from its text form, throwing for a bad
        /// one; empty on a real machine, which takes no injected faults.
        std::function<void(const std::string &spec)> injectFault;
    };

    /// Starts the services. Throws when the data folder cannot be created.
    InspectionEngine(hardware::Machine &machine, Setup setup, runtime::StatsRegistry &stats, QObject *parent = nullptr);
    ~InspectionEngine() override;

    /// Runs a lot to its end. Throws core::ValidationError for a request the run cannot start with
    /// — a bad recipe, lot or wafer id, or a recipe this machine is not set up for — before any run
    /// exists (and MisuseError while another run is in progress); every other outcome, a hardware
    /// error during the run included, ends the run with its reason and is in the report.
    [[nodiscard]] QCoro::Task<RunReport> runLot(RunRequest request) override;

    /// Why this machine cannot run `recipe` — its frames or its wafer differ from what the camera
    /// and the chuck are set up for — as one sentence per field ("frame.width_px: the recipe asks
    /// for 256, the camera delivers 1024"); empty when it can. Any thread; cheap.
    [[nodiscard]] std::vector<std::string> machineMismatches(const core::Recipe &recipe) const override;
    [[nodiscard]] std::string startInterlock() const override;

    void pause(std::string reason = "paused by the operator") override;
    void resume() override;
    void abort(std::string reason = "aborted by the operator") override;

    /// Sends an alarm command (acknowledge, shelve, …) to the alarm monitor; returns how many alarms
    /// it changed, or throws its error.
    [[nodiscard]] QCoro::Task<std::size_t> executeAlarmCommand(AlarmCommand command) override;

    /// Stores what a person did at the console (append-only); resumes once the persistence writer
    /// has it queued — it is written in order with everything queued before it.
    [[nodiscard]] QCoro::Task<void> audit(core::AuditEntry entry) override;

    [[nodiscard]] Progress progress() const override;
    /// The machine's alarms in table order, and the flood state, as of their latest change.
    [[nodiscard]] std::vector<core::AlarmStatus> alarms() const override;
    [[nodiscard]] core::AlarmFlood alarmFlood() const override;
    /// The latest polled state of the devices, and the heartbeat monitor's view.
    [[nodiscard]] DeviceSnapshot devices() const override;
    [[nodiscard]] HeartbeatStatus heartbeat() const override;
    [[nodiscard]] const std::filesystem::path &databaseFile() const noexcept override;
    [[nodiscard]] const std::filesystem::path &dataFolder() const noexcept override;
    /// The machine's name and die grid, and the runtime's stats registry copied into plain entries.
    [[nodiscard]] std::string machineName() const override;
    [[nodiscard]] const core::DieGrid &dieGrid() const override;
    [[nodiscard]] std::vector<StatisticsEntry> statistics() const override;
    /// True when the setup has a fault injector (the simulated machine).
    [[nodiscard]] bool isSimulated() const override;
    [[nodiscard]] std::optional<std::string> injectFault(const std::string &spec) override;
    /// The UI's copy of the defects (a load test publishes into it directly).
    [[nodiscard]] DefectFeed &defectFeed() noexcept { return *m_defectFeed; }
    /// Interrupted runs the persistence writer marked aborted at start-up (once it has opened the store).
    [[nodiscard]] std::vector<core::RunId> recoveredRuns() const;

Q_SIGNALS:
    void resumeRequested();

private Q_SLOTS:
    /// Posted by name from pipeline threads (see the constructor).
    void reportProblem(const QString &message);
    void applyRunAction(int action, const QString &tag);

private:
    struct Services;
    struct ActiveRun;

    /// The totals the alarm monitor watches: growing over the engine's life, across runs.
    struct Watched {
        std::uint64_t framesLost = 0;
        std::uint64_t poolExhausted = 0;
        std::uint64_t cropsDropped = 0;
    };
    /// Any thread (the alarm monitor's): the finished runs' totals plus the current run's.
    [[nodiscard]] Watched watched() const;
    void watch(ActiveRun *run);

    QCoro::Task<void> scanWafer(ActiveRun &run, std::size_t index, bool &isAborted);
    void setState(ActiveRun &run, core::RunState state, const std::string &reason);
    void onRunAction(core::FaultAction action, const std::string &tag);

    hardware::Machine &m_machine;
    Setup m_setup;
    runtime::StatsRegistry &m_stats;
    std::unique_ptr<DefectFeed> m_defectFeed; // before the services: outlives the detection stage
    std::unique_ptr<Services> m_services;
    std::unique_ptr<ActiveRun> m_run;
    std::atomic<bool> m_pauseRequested{false};
    std::atomic<bool> m_abortRequested{false};
    std::string m_stopReason;
    mutable std::mutex m_watchedMutex;
    ActiveRun *m_watchedRun = nullptr; // guarded by m_watchedMutex
    Watched m_watchedBase;             // guarded by m_watchedMutex
};

} // namespace waferscope::pipelines
