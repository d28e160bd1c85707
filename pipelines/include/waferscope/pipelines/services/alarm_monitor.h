#pragma once

/// AlarmMonitor: turns the machine's state into alarms. It owns the core AlarmModel with the
/// machine's rule set (definitions()); once per tick (100 Hz by default) it evaluates every
/// condition from the poller's DeviceSnapshot, the HeartbeatStatus, the pipeline's totals and the
/// free disk space, reports those that changed, lets the model's time pass (update(now)) and hands
/// every event the model made to events().
/// Rules, with the limits of the recipe's alarms:
///   heartbeat.lost         the heartbeat monitor says lost
///   vacuum.low             the vacuum is on and below vacuum.minimumKpa for at least vacuum.delay
///   stage.following_error  the following error is above stageFollowingErrorUm
///   stage.encoder_fault    the encoder reports an error
///   illumination.out_of_band  the lamp readback is outside [illumination.minPercent, maxPercent]
///   camera.disconnected    the camera is not connected
///   frames.lost, frame_pool.exhausted, staging.backlog, disk.space_low  as AlarmMonitorOptions says
/// Device rules wait for the poller's first poll. The vacuum delay counts from the first low poll
/// a tick sees, so the alarm comes at most one tick later than the delay.
/// Run: a condition is reported with the RunContext's run at that tick, so the model stamps every
/// event of an activation with the run it happened in.
/// Events: every event reaches events() in the model's order, never dropped: while the channel is
/// full, events wait in the monitor's backlog (event_backlog) and go out on the next ticks.
/// Run actions: when an alarm with a fault class activates, shown (not shelved, suppressed or out of
/// service), during a run, onRunAction receives the recipe's action for that class; a callback that
/// throws is counted (run_action_errors) and monitoring goes on.
/// Commands: execute() and applyLimits() may be called from any thread. They hop onto the monitor's
/// executor, act on the model there, hand on its events, and resume the caller with the result —
/// how many alarms the command changed — or the model's AlarmCommandError; after the monitor has
/// stopped they fail with OperationCancelled.
/// Resumes: a caller awaiting on an executor resumes on it (the GUI thread's, through qt::asTask);
/// one awaiting from a plain thread (syncWait) resumes on the monitor's thread.
/// Snapshot: alarms() and status() answer any thread with the statuses as of the latest change.
/// States: idle → running (run(), at most once) → stopped. After a stop request it ends at its next
/// tick, and at once when its executor shuts down; it then hands on the last events and completes
/// events(). Events still in the backlog then are counted (events_undelivered).
/// Threads: the model is touched only on the monitor's executor, by one tick or one command at a
/// time. Destroy the monitor after its executor has stopped and no command is in flight.
/// Allocates: at construction; per tick nothing unless an alarm changes (its events and the
/// snapshot); per command its coroutine frame and strings.
/// Counters (stats registry kind "service", name "alarm_monitor"): ticks, missed_ticks,
/// condition_reports, events, event_backlog, events_undelivered, commands, commands_failed,
/// run_actions, run_action_errors, disk_check_errors, annunciated.

#include <array>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <stop_token>
#include <string_view>
#include <vector>

#include <waferscope/core/alarms/alarm_definition.h>
#include <waferscope/core/alarms/alarm_event.h>
#include <waferscope/core/alarms/alarm_model.h>
#include <waferscope/core/alarms/alarm_status.h>
#include <waferscope/core/recipes/fault_class.h>
#include <waferscope/core/recipes/recipe.h>
#include <waferscope/pipelines/services/alarm_command.h>
#include <waferscope/pipelines/services/alarm_monitor_options.h>
#include <waferscope/pipelines/services/hardware_poller.h>
#include <waferscope/pipelines/services/heartbeat_monitor.h>
#include <waferscope/pipelines/services/run_context.h>
#include <waferscope/runtime/channel.h>
#include <waferscope/runtime/counter.h>
#include <waferscope/runtime/executor.h>
#include <waferscope/runtime/job.h>
#include <waferscope/runtime/stats_registry.h>
#include <waferscope/runtime/value_task.h>

namespace waferscope::pipelines {

namespace detail {
class AlarmRules;
} // namespace detail

class AlarmMonitor final : private runtime::StatsProvider
{
public:
    static constexpr std::string_view kHeartbeatLost = "heartbeat.lost";
    static constexpr std::string_view kVacuumLow = "vacuum.low";
    static constexpr std::string_view kFollowingError = "stage.following_error";
    static constexpr std::string_view kEncoderFault = "stage.encoder_fault";
    static constexpr std::string_view kIlluminationOutOfBand = "illumination.out_of_band";
    static constexpr std::string_view kCameraDisconnected = "camera.disconnected";
    static constexpr std::string_view kFramesLost = "frames.lost";
    static constexpr std::string_view kFramePoolExhausted = "frame_pool.exhausted";
    static constexpr std::string_view kStagingBacklog = "staging.backlog";
    static constexpr std::string_view kDiskSpaceLow = "disk.space_low";
    static constexpr std::string_view kStoreFailing = "store.failing";
    static constexpr std::string_view kDatabaseReplaced = "database.replaced";
    static constexpr std::size_t kRuleCount = 12;

    /// run() must be spawned on `executor`. The poller, heartbeat monitor and run context must
    /// outlive the monitor. Throws std::invalid_argument when options.period is not positive.
    AlarmMonitor(runtime::Executor &executor, const HardwarePoller &poller, const HeartbeatMonitor &heartbeat,
                 const RunContext &runContext, AlarmMonitorOptions options, runtime::StatsRegistry *stats = nullptr);
    AlarmMonitor(const AlarmMonitor &) = delete;
    AlarmMonitor &operator=(const AlarmMonitor &) = delete;
    ~AlarmMonitor() override;

    /// The machine's alarms, in the order the alarm table shows them.
    [[nodiscard]] static std::vector<core::AlarmDefinition> definitions();
    /// The fault class of alarm `tag`; nullopt for an alarm that never pauses or aborts a run.
    [[nodiscard]] static std::optional<core::FaultClass> faultClassOf(std::string_view tag) noexcept;

    /// The monitoring loop, to spawn on the monitor's executor. Throws MisuseError when called twice.
    [[nodiscard]] runtime::Job run(std::stop_token stop = {});

    /// Runs `command` on the model; returns how many alarms it changed (1, or acknowledgeAll's count).
    [[nodiscard]] runtime::ValueTask<std::size_t> execute(AlarmCommand command);
    /// Judges by new limits and fault actions (a new recipe) from the next tick on.
    [[nodiscard]] runtime::ValueTask<void> applyLimits(core::Recipe::Alarms limits, core::Recipe::FaultActions actions);

    /// Every alarm, in the order of definitions().
    [[nodiscard]] std::vector<core::AlarmStatus> alarms() const;
    /// The flood state as of the latest change.
    [[nodiscard]] core::AlarmFlood flood() const;
    /// nullopt for a tag that is not defined.
    [[nodiscard]] std::optional<core::AlarmStatus> status(std::string_view tag) const;
    /// The model's events, in order; one reader (the persistence writer, which passes them on to the UI).
    [[nodiscard]] runtime::Channel<core::AlarmEvent> &events() noexcept { return m_events; }

    [[nodiscard]] std::uint64_t ticks() const noexcept { return m_ticks.value(); }
    [[nodiscard]] std::uint64_t eventsMade() const noexcept { return m_eventsMade.value(); }
    [[nodiscard]] std::int64_t eventBacklog() const noexcept { return m_backlogLevel.value(); }
    [[nodiscard]] std::uint64_t eventsUndelivered() const noexcept { return m_undelivered.value(); }
    [[nodiscard]] std::uint64_t commandsFailed() const noexcept { return m_commandsFailed.value(); }
    [[nodiscard]] std::uint64_t diskCheckErrors() const noexcept { return m_diskCheckErrors.value(); }

private:
    runtime::Job loop(std::stop_token stop);
    /// Precondition (for every helper below): on the monitor's executor.
    void tick(runtime::TimePoint now);
    void checkDisk(runtime::TimePoint now);
    /// Takes the model's events, requests run actions, and writes them out after the backlog.
    void handOnEvents(bool hasConditionChanged);
    void flushBacklog();
    void requestRunAction(const core::AlarmEvent &event);
    void refreshSnapshot();
    void collect(runtime::MetricSink &sink) const override;

    runtime::Executor &m_executor;
    const HardwarePoller &m_poller;
    const HeartbeatMonitor &m_heartbeat;
    const RunContext &m_runContext;
    AlarmMonitorOptions m_options;
    std::atomic<bool> m_hasRun{false};

    struct ReportedCondition {
        bool isActive = false;
        core::RunId run;
    };

    // The monitor's executor only.
    core::AlarmModel m_model;
    std::array<ReportedCondition, kRuleCount> m_reported{};
    std::unique_ptr<detail::AlarmRules> m_rules;
    std::deque<core::AlarmEvent> m_backlog;
    bool m_isDiskSpaceLow = false;
    runtime::TimePoint m_nextDiskCheck{};
    std::optional<std::pair<runtime::TimePoint, std::uintmax_t>> m_lastDiskReading;
    bool m_isStopped = false;

    mutable std::mutex m_snapshotMutex;
    std::vector<core::AlarmStatus> m_snapshot; // guarded by m_snapshotMutex
    core::AlarmFlood m_floodSnapshot;          // guarded by m_snapshotMutex

    runtime::Channel<core::AlarmEvent> m_events;
    runtime::Counter m_ticks;
    runtime::Counter m_missedTicks;
    runtime::Counter m_conditionReports;
    runtime::Counter m_eventsMade;
    runtime::Gauge m_backlogLevel;
    runtime::Counter m_undelivered;
    runtime::Counter m_commands;
    runtime::Counter m_commandsFailed;
    runtime::Counter m_runActions;
    runtime::Counter m_runActionErrors;
    runtime::Counter m_diskCheckErrors;
    runtime::Gauge m_annunciated;
    runtime::StatsRegistration m_registration;
};

} // namespace waferscope::pipelines
