#pragma once

/// EngineFacade: the only door from the UI side into the machine and its pipelines — what the view
/// models may ask and command, as plain values, QCoro tasks and signals. InspectionEngine is its
/// implementation; view-model tests use a fake.
/// Contract: every task it returns resumes, and every signal it emits, on the thread that created
/// it (the GUI thread); it hands out plain values and snapshots copied out of the pipelines, never
/// value tasks, channels, pooled buffers or the hardware.
/// Runs: runLot() runs one lot to its end — Checking → Running ⇄ Paused → Completed | Aborted |
/// Failed — and reports each change in runStateChanged(); pause(), resume() and abort() act at the
/// next die boundary. One run at a time.
/// Defects: defectsArrived() hands the UI batches of the defects detection found, at most about
/// one batch per display frame. It is a copy that never slows or blocks detection: what the UI
/// side cannot take in time is dropped from the copy and counted, never from the store.
/// Snapshots: progress(), alarms(), devices(), heartbeat() and statistics() are cheap to call at
/// display rates (statistics at most 10 Hz).
/// Threads: call on the GUI thread. Allocates: per snapshot, its copy.

#include <QObject>
#include <QString>

#include <QCoroTask>

#include <chrono>
#include <cstddef>
#include <filesystem>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include <waferscope/core/alarms/alarm_flood.h>
#include <waferscope/core/alarms/alarm_status.h>
#include <waferscope/core/die_grid.h>
#include <waferscope/core/equipment/equipment_state.h>
#include <waferscope/core/persistence/audit_entry.h>
#include <waferscope/core/persistence/defect_record.h>
#include <waferscope/core/recipes/recipe.h>
#include <waferscope/core/run_id.h>
#include <waferscope/core/runs/run_state.h>
#include <waferscope/pipelines/engine/run_report.h>
#include <waferscope/pipelines/engine/run_request.h>
#include <waferscope/pipelines/engine/statistics_entry.h>
#include <waferscope/pipelines/run/run_ledger.h>
#include <waferscope/pipelines/services/alarm_command.h>
#include <waferscope/pipelines/services/device_snapshot.h>
#include <waferscope/pipelines/services/heartbeat_status.h>

namespace waferscope::pipelines {

class EngineFacade : public QObject
{
    Q_OBJECT

public:
    /// Progress of the current run, for a progress bar; plain values.
    struct Progress {
        bool isRunning = false;
        core::RunId runId;
        core::RunState state = core::RunState::Idle;
        std::size_t waferIndex = 0; ///< 0-based
        std::size_t waferCount = 0;
        std::size_t diesPlanned = 0; ///< over the whole lot
        RunLedger::Totals ledger;
        std::chrono::steady_clock::duration elapsed{};
    };

    explicit EngineFacade(QObject *parent = nullptr)
        : QObject(parent)
    {
    }
    EngineFacade(const EngineFacade &) = delete;
    EngineFacade &operator=(const EngineFacade &) = delete;
    ~EngineFacade() override = default;

    // --- runs --------------------------------------------------------------------------------------

    /// Runs a lot to its end. Throws core::ValidationError for a request the run cannot start with
    /// — a bad recipe, lot or wafer id, or a recipe this machine is not set up for — before any run
    /// exists (and MisuseError while another run is in progress); every other outcome ends the run
    /// with its reason and is in the report.
    [[nodiscard]] virtual QCoro::Task<RunReport> runLot(RunRequest request) = 0;
    virtual void pause(std::string reason) = 0;
    virtual void resume() = 0;
    virtual void abort(std::string reason) = 0;
    [[nodiscard]] virtual Progress progress() const = 0;
    /// Why this machine cannot run `recipe`, one sentence per field; empty when it can.
    [[nodiscard]] virtual std::vector<std::string> machineMismatches(const core::Recipe &recipe) const = 0;
    /// Why no run may start now: the unacknowledged alarms that are start interlocks; empty when
    /// none blocks. runLot() refuses while it is not empty.
    [[nodiscard]] virtual std::string startInterlock() const = 0;

    // --- the machine -------------------------------------------------------------------------------

    [[nodiscard]] virtual std::string machineName() const = 0;
    /// The dies of the wafers the machine is set up for.
    [[nodiscard]] virtual const core::DieGrid &dieGrid() const = 0;
    /// The latest polled state of the devices, and the heartbeat monitor's view.
    [[nodiscard]] virtual DeviceSnapshot devices() const = 0;
    [[nodiscard]] virtual HeartbeatStatus heartbeat() const = 0;
    /// True on the simulated machine, the only one that takes injected faults.
    [[nodiscard]] virtual bool isSimulated() const = 0;
    /// Starts a simulator fault now from its text form ("vacuum-drop:start=0s,duration=5s,kpa=20");
    /// returns why it did not — a bad spec (naming what is wrong), or a machine that is not
    /// simulated — or nothing once the fault runs.
    [[nodiscard]] virtual std::optional<std::string> injectFault(const std::string &spec) = 0;

    // --- alarms, audit, statistics -----------------------------------------------------------------

    /// The machine's alarms in table order, and the flood state, as of their latest change.
    [[nodiscard]] virtual std::vector<core::AlarmStatus> alarms() const = 0;
    [[nodiscard]] virtual core::AlarmFlood alarmFlood() const = 0;
    /// Sends an alarm command (acknowledge, shelve, …); returns how many alarms it changed, or
    /// throws its error.
    [[nodiscard]] virtual QCoro::Task<std::size_t> executeAlarmCommand(AlarmCommand command) = 0;
    /// Stores what a person did at the console (append-only), in order with everything before it.
    [[nodiscard]] virtual QCoro::Task<void> audit(core::AuditEntry entry) = 0;
    /// Stores the machine's SEMI E10 state as the console sees it (a change, or a repeat showing the
    /// console still runs), in order with everything before it.
    [[nodiscard]] virtual QCoro::Task<void> recordEquipmentState(core::EquipmentStateChange change) = 0;
    /// Scheduled maintenance: while `reason` is set, no run starts (startInterlock() names it, on
    /// every path: console, headless, host); an empty reason ends it.
    virtual void setMaintenance(std::string reason) = 0;
    [[nodiscard]] virtual std::string maintenance() const = 0;
    /// Every pipeline primitive's counters now, in registration order.
    [[nodiscard]] virtual std::vector<StatisticsEntry> statistics() const = 0;

    // --- where the results are ---------------------------------------------------------------------

    /// The inspection database (runs, wafers, defects, audit) and the folder of everything stored.
    [[nodiscard]] virtual const std::filesystem::path &databaseFile() const noexcept = 0;
    [[nodiscard]] virtual const std::filesystem::path &dataFolder() const noexcept = 0;

Q_SIGNALS:
    void runStateChanged(quint64 runId, int state, const QString &reason);
    /// Something the operator should know that did not stop the run (a store retry, a KLARF error).
    void problem(const QString &message);
    /// A batch of defects detection found, oldest first; `defects` is valid during the call only
    /// (connect directly: a queued connection would copy a dangling view).
    void defectsArrived(std::span<const waferscope::core::DefectRecord> defects);
};

} // namespace waferscope::pipelines
