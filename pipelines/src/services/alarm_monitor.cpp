#include <waferscope/pipelines/services/alarm_monitor.h>

#include <algorithm>
#include <exception>
#include <string>
#include <system_error>
#include <utility>

#include <waferscope/core/alarms/alarm_state.h>
#include <waferscope/runtime/errors.h>
#include <waferscope/runtime/ticker.h>

#include "services/alarm_rules.h"
#include "services/checked_period.h"

namespace waferscope::pipelines {

namespace {

using detail::AlarmRule;
using detail::kAlarmRuleCount;

struct RuleSpec {
    std::string_view tag;
    std::string_view source;
    core::AlarmPriority priority;
    std::optional<core::FaultClass> faultClass;
    std::string_view message;
};

// In the order of detail::AlarmRule.
static_assert(AlarmMonitor::kRuleCount == kAlarmRuleCount);

constexpr std::array<RuleSpec, kAlarmRuleCount> kRules{{
    {AlarmMonitor::kHeartbeatLost, "controller", core::AlarmPriority::Critical, core::FaultClass::Heartbeat,
     "No heartbeat from the machine controller"},
    {AlarmMonitor::kVacuumLow, "vacuum", core::AlarmPriority::Critical, core::FaultClass::Vacuum,
     "Chuck vacuum below its minimum: the wafer may not be held"},
    {AlarmMonitor::kFollowingError, "stage", core::AlarmPriority::High, core::FaultClass::FollowingError,
     "Stage following error above its limit"},
    {AlarmMonitor::kEncoderFault, "stage", core::AlarmPriority::High, core::FaultClass::Encoder,
     "Stage encoder reports an error: positions cannot be trusted"},
    {AlarmMonitor::kIlluminationOutOfBand, "illumination", core::AlarmPriority::Medium,
     core::FaultClass::Illumination, "Lamp output outside its band"},
    {AlarmMonitor::kCameraDisconnected, "camera", core::AlarmPriority::High, core::FaultClass::Camera,
     "Camera disconnected"},
    {AlarmMonitor::kFramesLost, "acquisition", core::AlarmPriority::Medium, core::FaultClass::FramesLost,
     "Frames lost: gaps in the frame sequence"},
    {AlarmMonitor::kFramePoolExhausted, "acquisition", core::AlarmPriority::Medium, std::nullopt,
     "Frame pool exhausted: frames came with no buffer free"},
    {AlarmMonitor::kStagingBacklog, "staging", core::AlarmPriority::Low, std::nullopt,
     "Defect-image staging behind: crops dropped"},
    {AlarmMonitor::kDiskSpaceLow, "disk", core::AlarmPriority::Medium, core::FaultClass::DiskSpace,
     "Free disk space in the data folder below its minimum"},
    {AlarmMonitor::kStoreFailing, "persistence", core::AlarmPriority::High, std::nullopt,
     "Inspection database writes failing: the run is paused and its defects held until they can be stored"},
    {AlarmMonitor::kDatabaseReplaced, "persistence", core::AlarmPriority::High, std::nullopt,
     "The inspection database was damaged: it was moved aside and a new one started"},
}};

runtime::ChannelOptions eventChannelOptions(std::size_t capacity)
{
    runtime::ChannelOptions options;
    options.capacity = std::max<std::size_t>(capacity, 1);
    options.fullMode = runtime::FullMode::Wait; // never written with write(): full means "use the backlog"
    return options;
}

std::uint64_t read(const std::function<std::uint64_t()> &total)
{
    return total ? total() : 0;
}

[[noreturn]] void throwStopped()
{
    throw runtime::OperationCancelled("alarm monitor has stopped: the command was not run");
}

} // namespace

AlarmMonitor::AlarmMonitor(runtime::Executor &executor, const HardwarePoller &poller,
                           const HeartbeatMonitor &heartbeat, const RunContext &runContext,
                           AlarmMonitorOptions options, runtime::StatsRegistry *stats)
    : m_executor(executor)
    , m_poller(poller)
    , m_heartbeat(heartbeat)
    , m_runContext(runContext)
    , m_options(std::move(options))
    , m_model(definitions())
    , m_rules(std::make_unique<detail::AlarmRules>(m_options))
    , m_snapshot(m_model.alarms())
    , m_events("alarms.events", eventChannelOptions(m_options.eventCapacity), stats)
{
    static_cast<void>(detail::checkedPeriod(m_options.period, "alarm monitor"));
    m_registration = runtime::registerStats(stats, "service", "alarm_monitor", *this);
}

AlarmMonitor::~AlarmMonitor()
{
    m_registration = runtime::StatsRegistration{};
}

std::vector<core::AlarmDefinition> AlarmMonitor::definitions()
{
    std::vector<core::AlarmDefinition> definitions;
    definitions.reserve(kRules.size());
    for (const RuleSpec &rule : kRules) {
        core::AlarmDefinition definition;
        definition.tag = std::string(rule.tag);
        definition.source = std::string(rule.source);
        definition.message = std::string(rule.message);
        definition.priority = rule.priority;
        // A critical alarm is a start interlock: the wafer or the machine was at risk.
        definition.blocksStart = rule.priority == core::AlarmPriority::Critical;
        // The delays are the monitor's, from the recipe, so a new recipe takes effect without
        // rebuilding the model and losing the alarms' states.
        definitions.push_back(std::move(definition));
    }
    return definitions;
}

std::optional<core::FaultClass> AlarmMonitor::faultClassOf(std::string_view tag) noexcept
{
    for (const RuleSpec &rule : kRules) {
        if (rule.tag == tag) {
            return rule.faultClass;
        }
    }
    return std::nullopt;
}

runtime::Job AlarmMonitor::run(std::stop_token stop)
{
    if (m_hasRun.exchange(true)) {
        throw runtime::MisuseError("alarm monitor: run() was called twice");
    }
    return loop(std::move(stop));
}

runtime::Job AlarmMonitor::loop(std::stop_token stop)
{
    if (runtime::Executor::current() != &m_executor) {
        throw runtime::MisuseError("alarm monitor: run() must be spawned on the executor given to its constructor");
    }
    runtime::Ticker ticker(m_options.period);
    try {
        while (!stop.stop_requested()) {
            tick(m_executor.now());
            const std::uint64_t elapsed = co_await ticker.next();
            m_missedTicks.add(elapsed - 1);
        }
    } catch (const runtime::OperationCancelled &) {
        // The executor is shutting down: end like a stop request.
    }
    m_isStopped = true;
    m_model.update(m_executor.now());
    handOnEvents(false);
    m_undelivered.add(m_backlog.size());
    m_backlog.clear();
    m_backlogLevel.set(0);
    m_events.complete();
}

void AlarmMonitor::tick(runtime::TimePoint now)
{
    m_ticks.add();
    const core::RunId run = m_runContext.runId();
    checkDisk(now);
    detail::AlarmReadings readings;
    readings.device = m_poller.snapshot();
    readings.heartbeat = m_heartbeat.status();
    readings.framesLost = read(m_options.counters.framesLost);
    readings.poolExhausted = read(m_options.counters.poolExhausted);
    readings.cropsDropped = read(m_options.counters.cropsDropped);
    readings.isDiskSpaceLow = m_isDiskSpaceLow;
    readings.isStoreFailing = m_options.counters.isStoreFailing && m_options.counters.isStoreFailing();
    readings.databasesReplaced = read(m_options.counters.databasesReplaced);
    const std::array<bool, kAlarmRuleCount> active = m_rules->evaluate(readings, now);

    bool hasConditionChanged = false;
    for (std::size_t i = 0; i < kAlarmRuleCount; ++i) {
        ReportedCondition &reported = m_reported[i];
        // A condition still active when a run begins is reported again, so an activation still in
        // its delay takes the new run.
        if (active[i] == reported.isActive && (!active[i] || run == reported.run)) {
            continue;
        }
        m_model.reportCondition(kRules[i].tag, active[i], run, now);
        reported = {active[i], run};
        m_conditionReports.add();
        hasConditionChanged = true;
    }
    m_model.update(now);
    handOnEvents(hasConditionChanged);
}

void AlarmMonitor::checkDisk(runtime::TimePoint now)
{
    if (now < m_nextDiskCheck) {
        return;
    }
    m_nextDiskCheck = now + m_options.diskCheckPeriod;
    std::optional<std::uintmax_t> freeBytes;
    if (m_options.freeDiskBytes) {
        freeBytes = m_options.freeDiskBytes();
    } else if (!m_options.dataFolder.empty()) {
        std::error_code error;
        const std::filesystem::space_info space = std::filesystem::space(m_options.dataFolder, error);
        if (!error) {
            freeBytes = space.available;
        }
    } else {
        return; // nowhere to look: the rule stays quiet
    }
    if (!freeBytes) {
        m_diskCheckErrors.add(); // the last reading stands
        return;
    }
    const auto minimumMb = static_cast<std::uintmax_t>(std::max<std::int64_t>(m_options.limits.diskSpaceMinimumMb, 0));
    const std::uintmax_t minimum = minimumMb * 1024 * 1024;
    m_isDiskSpaceLow = *freeBytes < minimum;
    // Look again sooner while the disk fills: before a quarter of the room above the minimum can go
    // at the rate it went since the last reading.
    const bool isFalling = m_lastDiskReading && *freeBytes < m_lastDiskReading->second && now > m_lastDiskReading->first;
    if (isFalling && *freeBytes > minimum) {
        const double bytesPerSecond = double(m_lastDiskReading->second - *freeBytes) /
                                      std::chrono::duration<double>(now - m_lastDiskReading->first).count();
        const double seconds = double(*freeBytes - minimum) / 4.0 / bytesPerSecond;
        const auto soon = std::chrono::duration_cast<runtime::Clock::duration>(std::chrono::duration<double>(seconds));
        m_nextDiskCheck = now + std::clamp(soon, m_options.diskCheckMinimumPeriod, m_options.diskCheckPeriod);
    } else if (isFalling) {
        m_nextDiskCheck = now + m_options.diskCheckMinimumPeriod; // at the minimum and still falling
    } else if (m_isDiskSpaceLow) {
        m_nextDiskCheck = now + std::min(m_options.diskCheckPeriod, runtime::Clock::duration(std::chrono::milliseconds(100)));
    }
    m_lastDiskReading = std::pair(now, *freeBytes);
}

void AlarmMonitor::handOnEvents(bool hasConditionChanged)
{
    flushBacklog();
    std::vector<core::AlarmEvent> events = m_model.takeEvents();
    for (core::AlarmEvent &event : events) {
        m_eventsMade.add();
        requestRunAction(event);
        if (m_backlog.empty() && m_events.tryWrite(std::move(event))) {
            continue;
        }
        m_backlog.push_back(std::move(event)); // NOLINT(bugprone-use-after-move): a refused write leaves it untouched
    }
    m_backlogLevel.set(static_cast<std::int64_t>(m_backlog.size()));
    if (!events.empty() || hasConditionChanged) {
        refreshSnapshot();
    }
}

void AlarmMonitor::flushBacklog()
{
    while (!m_backlog.empty() && m_events.tryWrite(std::move(m_backlog.front()))) {
        m_backlog.pop_front();
    }
    m_backlogLevel.set(static_cast<std::int64_t>(m_backlog.size()));
}

void AlarmMonitor::requestRunAction(const core::AlarmEvent &event)
{
    if (event.kind != core::AlarmEventKind::Activated || event.to != core::AlarmState::Unacknowledged ||
        !event.runId.isValid()) {
        return;
    }
    const std::optional<core::FaultClass> faultClass = faultClassOf(event.tag);
    if (!faultClass) {
        return;
    }
    RunAction action;
    action.runId = event.runId;
    action.faultClass = *faultClass;
    action.action = m_options.faultActions.on(*faultClass);
    action.tag = event.tag;
    action.at = event.at;
    m_runActions.add();
    if (m_options.onRunAction) {
        try {
            m_options.onRunAction(action);
        } catch (...) {
            m_runActionErrors.add(); // the engine's fault; the alarms must go on regardless
        }
    }
}

void AlarmMonitor::refreshSnapshot()
{
    std::vector<core::AlarmStatus> statuses = m_model.alarms();
    const auto annunciated = std::count_if(statuses.begin(), statuses.end(),
                                           [](const core::AlarmStatus &s) { return s.isAnnunciated(); });
    m_annunciated.set(annunciated);
    const core::AlarmFlood flood = m_model.flood();
    const std::lock_guard lock(m_snapshotMutex);
    m_snapshot.swap(statuses);
    m_floodSnapshot = flood;
}

core::AlarmFlood AlarmMonitor::flood() const
{
    const std::lock_guard lock(m_snapshotMutex);
    return m_floodSnapshot;
}

std::vector<core::AlarmStatus> AlarmMonitor::alarms() const
{
    const std::lock_guard lock(m_snapshotMutex);
    return m_snapshot;
}

std::optional<core::AlarmStatus> AlarmMonitor::status(std::string_view tag) const
{
    const std::lock_guard lock(m_snapshotMutex);
    for (const core::AlarmStatus &status : m_snapshot) {
        if (status.definition.tag == tag) {
            return status;
        }
    }
    return std::nullopt;
}

runtime::ValueTask<std::size_t> AlarmMonitor::execute(AlarmCommand command)
{
    runtime::Executor &home = m_executor;
    co_await runtime::schedule(home);
    // Resumed anywhere else, the executor's thread has ended: `this` may be gone, touch nothing.
    if (runtime::Executor::current() != &home || m_isStopped) {
        throwStopped();
    }
    const runtime::TimePoint now = home.now();
    std::size_t changed = 1;
    std::exception_ptr failure;
    try {
        using Kind = AlarmCommand::Kind;
        switch (command.kind) {
        case Kind::Acknowledge:
            m_model.acknowledge(command.tag, command.actor, command.comment, now);
            break;
        case Kind::AcknowledgeAll:
            changed = m_model.acknowledgeAll(command.tags, command.actor, command.comment, now);
            break;
        case Kind::Reset:
            m_model.reset(command.tag, command.actor, command.comment, now);
            break;
        case Kind::Shelve:
            m_model.shelve(command.tag, command.shelveDuration, command.actor, command.comment, now);
            break;
        case Kind::Unshelve:
            m_model.unshelve(command.tag, command.actor, command.comment, now);
            break;
        case Kind::RemoveFromService:
            m_model.removeFromService(command.tag, command.actor, command.comment, now);
            break;
        case Kind::ReturnToService:
            m_model.returnToService(command.tag, command.actor, command.comment, now);
            break;
        }
    } catch (...) {
        failure = std::current_exception();
    }
    // A refused command still brought the model up to `now`, which may have made events.
    handOnEvents(true);
    if (failure) {
        m_commandsFailed.add();
        std::rethrow_exception(failure);
    }
    m_commands.add();
    co_return changed;
}

runtime::ValueTask<void> AlarmMonitor::applyLimits(core::Recipe::Alarms limits, core::Recipe::FaultActions actions)
{
    runtime::Executor &home = m_executor;
    co_await runtime::schedule(home);
    if (runtime::Executor::current() != &home || m_isStopped) {
        throwStopped();
    }
    m_options.limits = limits;
    m_options.faultActions = actions;
    m_rules->setLimits(limits);
    m_nextDiskCheck = home.now(); // the disk minimum may have changed
}

void AlarmMonitor::collect(runtime::MetricSink &sink) const
{
    sink.add("ticks", m_ticks.value());
    sink.add("missed_ticks", m_missedTicks.value());
    sink.add("condition_reports", m_conditionReports.value());
    sink.add("events", m_eventsMade.value());
    sink.add("event_backlog", m_backlogLevel.value());
    sink.add("events_undelivered", m_undelivered.value());
    sink.add("commands", m_commands.value());
    sink.add("commands_failed", m_commandsFailed.value());
    sink.add("run_actions", m_runActions.value());
    sink.add("run_action_errors", m_runActionErrors.value());
    sink.add("disk_check_errors", m_diskCheckErrors.value());
    sink.add("annunciated", m_annunciated.value());
}

} // namespace waferscope::pipelines
