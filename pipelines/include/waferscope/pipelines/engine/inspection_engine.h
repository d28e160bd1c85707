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
/// Readiness: before a run is made, runLot() checks the storage it needs (StorageReadiness: free
/// space above the recipe's disk minimum, the data, KLARF and staging folders writable; and the
/// persistence writer's database open and writable) and throws RunRefusedError naming the first
/// problem, leaving no trace of the run.
/// Storage faults: when the store cannot write defects, the writer holds them and the run pauses
/// ("storage failing: …"); it resumes by itself once they are stored, or is aborted when the writer
/// gives up (the held defects go to a file next to the database). abort() lets the writer give up at
/// once, so a run ends within seconds whatever the storage does.
/// Honest ends: a run whose ledger does not balance once everything is stored (a defect not stored
/// or not exported) ends Failed, not Completed, with the counts as its reason.
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
#include <waferscope/core/persistence/inspection_store.h>
#include <waferscope/core/runs/run_state.h>
#include <waferscope/hardware/machine.h>
#include <waferscope/pipelines/engine/defect_feed.h>
#include <waferscope/pipelines/engine/defect_listener.h>
#include <waferscope/pipelines/engine/engine_facade.h>
#include <waferscope/pipelines/engine/frame_analyzer.h>
#include <waferscope/pipelines/engine/run_report.h>
#include <waferscope/pipelines/engine/run_refused_error.h>
#include <waferscope/pipelines/engine/run_request.h>
#include <waferscope/pipelines/engine/storage_readiness.h>
#include <waferscope/pipelines/persistence/damaged_database_policy.h>
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
        DamagedDatabasePolicy onDamagedDatabase = DamagedDatabasePolicy::Replace;
        /// Fault injection for tests: called before every write transaction of the store.
        core::InspectionStore::WriteHook storeWriteHook;
        /// Free bytes in the data folder (readiness and the disk alarm); empty: std::filesystem::space.
        StorageReadiness::FreeBytes freeDiskBytes;
        std::chrono::milliseconds storeRetryDelay = std::chrono::seconds(1);
        std::chrono::milliseconds maxStorageOutage = std::chrono::minutes(10);
    };

    /// Starts the services. Throws when the data folder cannot be created.
    InspectionEngine(hardware::Machine &machine, Setup setup, runtime::StatsRegistry &stats, QObject *parent = nullptr);
    ~InspectionEngine() override;

    /// Runs a lot to its end. Throws core::ValidationError for a request the run cannot start with
    /// — a bad recipe, lot or wafer id, a recipe this machine is not set up for, an unacknowledged
    /// critical alarm — RunRefusedError when the storage is not ready (see Readiness), both before any
    /// run exists, and MisuseError while another run is in progress; every other outcome, a hardware
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
    [[nodiscard]] QCoro::Task<void> recordEquipmentState(core::EquipmentStateChange change) override;
    void setMaintenance(std::string reason) override;
    [[nodiscard]] std::string maintenance() const override { return m_maintenance; }

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
    /// The persistence writer's counters: defects held back and kept in a file, outages, databases
    /// replaced; and where unstored defects were kept (empty while none were).
    [[nodiscard]] std::uint64_t defectsUnstored() const noexcept;
    [[nodiscard]] std::uint64_t storageOutages() const noexcept;
    [[nodiscard]] std::uint64_t databasesReplaced() const noexcept;
    [[nodiscard]] std::filesystem::path unstoredDefectsFile() const;

Q_SIGNALS:
    void resumeRequested();

private Q_SLOTS:
    /// Posted by name from pipeline threads (see the constructor).
    void reportProblem(const QString &message);
    void applyRunAction(int action, const QString &tag);
    void applyStorageOutage(int outage, const QString &reason);

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

    /// Throws RunRefusedError when the storage a run of `recipe` needs is not ready.
    QCoro::Task<void> checkStorage(const core::Recipe &recipe);
    /// Resumes once the writer has handled everything queued before it.
    QCoro::Task<void> flushStore();
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
    bool m_isPausedForStorage = false; ///< the current pause is the writer's outage
    bool m_isCheckingStorage = false;  ///< a runLot() is in its readiness check
    std::string m_maintenance;         ///< why the machine is in scheduled maintenance; empty: it is not
    std::string m_stopReason;
    mutable std::mutex m_watchedMutex;
    ActiveRun *m_watchedRun = nullptr; // guarded by m_watchedMutex
    Watched m_watchedBase;             // guarded by m_watchedMutex
};

} // namespace waferscope::pipelines
