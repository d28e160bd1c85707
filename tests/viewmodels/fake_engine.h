#pragma once

// FakeEngine: an EngineFacade for view-model tests — no threads, no simulator, no store. It holds
// plain state the test sets (device snapshot, heartbeat, statistics, progress), keeps the alarms in
// the core alarm model (so acknowledge, shelve and their refusals follow the real rules), records
// every command (audit entries, pauses, aborts, injected faults, run requests) and produces
// defects, run states and alarms when the test says so. Everything happens on the calling (GUI)
// thread: a run started with runLot() ends when the test calls finishRun().

#include <QTemporaryDir>

#include <chrono>
#include <coroutine>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include <waferscope/core/alarms/alarm_model.h>
#include <waferscope/core/recipes/recipe_parser.h>
#include <waferscope/pipelines/engine/engine_facade.h>

namespace waferscope::testing {

class FakeEngine final : public pipelines::EngineFacade
{
public:
    /// The alarm every fake machine knows: critical, like the heartbeat's.
    static constexpr const char *kHeartbeatLost = "heartbeat.lost";

    explicit FakeEngine(const std::filesystem::path &recipeFile, std::filesystem::path dataFolder)
        : m_grid(core::RecipeParser::parseFile(recipeFile).wafer)
        , m_dataFolder(std::move(dataFolder))
        , m_databaseFile(m_dataFolder / "inspection.db")
        , m_alarms(definitions())
    {
    }

    // --- what the test commands ------------------------------------------------------------------

    /// Raises (or clears) the condition of alarm `tag` now.
    void setCondition(const std::string &tag, bool isActive)
    {
        m_alarms.reportCondition(tag, isActive, core::RunId{}, std::chrono::steady_clock::now());
    }
    /// Emits one batch of defects, as the engine's feed does.
    void emitDefects(const std::vector<core::DefectRecord> &defects)
    {
        Q_EMIT defectsArrived(std::span<const core::DefectRecord>(defects.data(), defects.size()));
    }
    /// Changes the run's state as the engine reports it.
    void emitState(core::RunState state, const std::string &reason = {})
    {
        m_progress.state = state;
        Q_EMIT runStateChanged(m_progress.runId.value(), static_cast<int>(state), QString::fromStdString(reason));
    }
    /// Ends the run runLot() started with `report`, resuming its caller now.
    void finishRun(pipelines::RunReport report)
    {
        m_progress.isRunning = false;
        emitState(report.state, report.reason);
        m_report = std::move(report);
        if (const std::coroutine_handle<> waiter = std::exchange(m_waiter, {})) {
            waiter.resume();
        }
    }
    void setSimulated(bool isSimulated) noexcept { m_isSimulated = isSimulated; }
    void setDevices(const pipelines::DeviceSnapshot &devices) { m_devices = devices; }
    void setHeartbeat(const pipelines::HeartbeatStatus &heartbeat) { m_heartbeat = heartbeat; }
    void setStatistics(std::vector<pipelines::StatisticsEntry> entries) { m_statistics = std::move(entries); }
    void setProgress(const Progress &progress) { m_progress = progress; }
    void setMachineMismatches(std::vector<std::string> mismatches) { m_mismatches = std::move(mismatches); }
    void setStartInterlock(std::string interlock) { m_interlock = std::move(interlock); }

    // --- what the test reads back ----------------------------------------------------------------

    [[nodiscard]] const std::vector<core::AuditEntry> &auditEntries() const noexcept { return m_audit; }
    /// The E10 states the console recorded, in order.
    [[nodiscard]] const std::vector<core::EquipmentStateChange> &equipmentStates() const noexcept
    {
        return m_equipmentStates;
    }
    [[nodiscard]] const std::vector<pipelines::RunRequest> &runRequests() const noexcept { return m_requests; }
    [[nodiscard]] const std::vector<std::string> &pauses() const noexcept { return m_pauses; }
    [[nodiscard]] const std::vector<std::string> &aborts() const noexcept { return m_aborts; }
    [[nodiscard]] int resumes() const noexcept { return m_resumes; }
    [[nodiscard]] const std::vector<std::string> &injectedFaults() const noexcept { return m_faults; }

    // --- the facade ------------------------------------------------------------------------------

    [[nodiscard]] QCoro::Task<pipelines::RunReport> runLot(pipelines::RunRequest request) override
    {
        m_requests.push_back(request);
        m_progress.isRunning = true;
        m_progress.runId = core::RunId{m_requests.size()};
        m_progress.waferCount = request.wafers.size();
        emitState(core::RunState::Checking);
        emitState(core::RunState::Running);
        RunEnd end{*this};
        co_return co_await end;
    }
    void pause(std::string reason) override { m_pauses.push_back(std::move(reason)); }
    void resume() override { ++m_resumes; }
    void abort(std::string reason) override { m_aborts.push_back(std::move(reason)); }
    [[nodiscard]] Progress progress() const override { return m_progress; }
    [[nodiscard]] std::vector<std::string> machineMismatches(const core::Recipe &) const override
    {
        return m_mismatches;
    }
    [[nodiscard]] std::string startInterlock() const override
    {
        return m_maintenance.empty() ? m_interlock : "the machine is in scheduled maintenance (" + m_maintenance + ")";
    }
    [[nodiscard]] std::string machineName() const override { return "fake-machine"; }
    [[nodiscard]] const core::DieGrid &dieGrid() const override { return m_grid; }
    [[nodiscard]] pipelines::DeviceSnapshot devices() const override { return m_devices; }
    [[nodiscard]] pipelines::HeartbeatStatus heartbeat() const override { return m_heartbeat; }
    [[nodiscard]] bool isSimulated() const override { return m_isSimulated; }
    [[nodiscard]] std::optional<std::string> injectFault(const std::string &spec) override
    {
        if (!m_isSimulated) {
            return "the machine 'fake-machine' is not simulated: it takes no injected faults";
        }
        m_faults.push_back(spec);
        return std::nullopt;
    }
    [[nodiscard]] std::vector<core::AlarmStatus> alarms() const override
    {
        const_cast<core::AlarmModel &>(m_alarms).update(std::chrono::steady_clock::now());
        return m_alarms.alarms();
    }
    [[nodiscard]] core::AlarmFlood alarmFlood() const override { return m_alarms.flood(); }
    [[nodiscard]] QCoro::Task<std::size_t> executeAlarmCommand(pipelines::AlarmCommand command) override
    {
        // The alarm monitor's dispatch, on this thread.
        const auto now = std::chrono::steady_clock::now();
        using Kind = pipelines::AlarmCommand::Kind;
        std::size_t changed = 1;
        switch (command.kind) {
        case Kind::Acknowledge:
            m_alarms.acknowledge(command.tag, command.actor, command.comment, now);
            break;
        case Kind::AcknowledgeAll:
            changed = m_alarms.acknowledgeAll(command.tags, command.actor, command.comment, now);
            break;
        case Kind::Reset:
            m_alarms.reset(command.tag, command.actor, command.comment, now);
            break;
        case Kind::Shelve:
            m_alarms.shelve(command.tag, command.shelveDuration, command.actor, command.comment, now);
            break;
        case Kind::Unshelve:
            m_alarms.unshelve(command.tag, command.actor, command.comment, now);
            break;
        case Kind::RemoveFromService:
            m_alarms.removeFromService(command.tag, command.actor, command.comment, now);
            break;
        case Kind::ReturnToService:
            m_alarms.returnToService(command.tag, command.actor, command.comment, now);
            break;
        }
        co_return changed;
    }
    [[nodiscard]] QCoro::Task<void> audit(core::AuditEntry entry) override
    {
        m_audit.push_back(std::move(entry));
        co_return;
    }
    [[nodiscard]] QCoro::Task<void> recordEquipmentState(core::EquipmentStateChange change) override
    {
        m_equipmentStates.push_back(change);
        co_return;
    }
    void setMaintenance(std::string reason) override { m_maintenance = std::move(reason); }
    [[nodiscard]] std::string maintenance() const override { return m_maintenance; }
    [[nodiscard]] std::vector<pipelines::StatisticsEntry> statistics() const override { return m_statistics; }
    [[nodiscard]] const std::filesystem::path &databaseFile() const noexcept override { return m_databaseFile; }
    [[nodiscard]] const std::filesystem::path &dataFolder() const noexcept override { return m_dataFolder; }

private:
    /// Suspends runLot() until finishRun(); resumes at once when the run has already ended.
    struct RunEnd {
        FakeEngine &engine;
        [[nodiscard]] bool await_ready() const noexcept { return engine.m_report.has_value(); }
        void await_suspend(std::coroutine_handle<> waiter) noexcept { engine.m_waiter = waiter; }
        pipelines::RunReport await_resume()
        {
            pipelines::RunReport report = std::move(*engine.m_report);
            engine.m_report.reset();
            return report;
        }
    };

    static std::vector<core::AlarmDefinition> definitions()
    {
        core::AlarmDefinition heartbeat;
        heartbeat.tag = kHeartbeatLost;
        heartbeat.source = "machine controller";
        heartbeat.message = "Heartbeat lost: the machine controller does not answer";
        heartbeat.priority = core::AlarmPriority::Critical;
        core::AlarmDefinition vacuum;
        vacuum.tag = "vacuum.low";
        vacuum.source = "vacuum chuck";
        vacuum.message = "Vacuum low: the wafer may move";
        vacuum.priority = core::AlarmPriority::High;
        return {heartbeat, vacuum};
    }

    core::DieGrid m_grid;
    std::filesystem::path m_dataFolder;
    std::filesystem::path m_databaseFile;
    core::AlarmModel m_alarms;
    bool m_isSimulated = true;
    Progress m_progress;
    pipelines::DeviceSnapshot m_devices;
    pipelines::HeartbeatStatus m_heartbeat;
    std::vector<pipelines::StatisticsEntry> m_statistics;
    std::vector<std::string> m_mismatches;
    std::string m_interlock; ///< what startInterlock() answers
    std::vector<core::AuditEntry> m_audit;
    std::vector<core::EquipmentStateChange> m_equipmentStates;
    std::string m_maintenance;
    std::vector<pipelines::RunRequest> m_requests;
    std::vector<std::string> m_pauses;
    std::vector<std::string> m_aborts;
    int m_resumes = 0;
    std::vector<std::string> m_faults;
    std::optional<pipelines::RunReport> m_report;
    std::coroutine_handle<> m_waiter;
};

} // namespace waferscope::testing
