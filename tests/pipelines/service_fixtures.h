#pragma once

// Helpers shared by the background services' tests: a small simulated machine with every service on
// a test's manual executor and fake clock, and ways to collect what the services hand on.

#include <chrono>
#include <initializer_list>
#include <optional>
#include <stdexcept>
#include <stop_token>
#include <string_view>
#include <vector>

#include <waferscope/core/alarms/alarm_event.h>
#include <waferscope/hardware/sim/fault_spec.h>
#include <waferscope/hardware/sim/simulated_machine.h>
#include <waferscope/hardware/sim/simulator_config.h>
#include <waferscope/pipelines/services/alarm_monitor.h>
#include <waferscope/pipelines/services/hardware_poller.h>
#include <waferscope/pipelines/services/heartbeat_monitor.h>
#include <waferscope/pipelines/services/run_context.h>
#include <waferscope/runtime/channel.h>
#include <waferscope/runtime/stats_registry.h>
#include <waferscope/runtime/sync_wait.h>
#include <waferscope/runtime/value_task.h>
#include <waferscope/testing/manual_executor.h>

namespace waferscope::testing {

/// A 200 mm wafer seen in 256 × 256 frames, so a scan renders in milliseconds, with `faults`
/// (fault spec text) on its timeline.
inline hardware::sim::SimulatorConfig serviceConfig(std::initializer_list<std::string_view> faults)
{
    hardware::sim::SimulatorConfig config;
    config.wafer.diameterMm = 200.0;
    config.image.width = 256;
    config.image.height = 256;
    config.image.pixelSizeUm = 50.0;
    for (const std::string_view fault : faults) {
        config.faults.push_back(hardware::sim::FaultSpec::parse(fault));
    }
    return config;
}

/// The result of a task that must already have completed; throws if it has not.
template<typename T>
T ready(runtime::ValueTask<T> &&task)
{
    if (!task.isCompleted()) {
        throw std::logic_error("the task has not completed");
    }
    return runtime::syncWait(std::move(task));
}

/// Everything a channel holds now, oldest first.
template<typename T>
std::vector<T> drain(runtime::Channel<T> &channel)
{
    std::vector<T> items;
    while (std::optional<T> item = channel.tryRead()) {
        items.push_back(std::move(*item));
    }
    return items;
}

/// The simulated machine with the poller, heartbeat monitor and alarm monitor on one manual
/// executor. The executor comes first, so the machine powers on at its fake time; the destructor
/// ends the services' jobs while the services still exist.
struct ServiceRig {
    explicit ServiceRig(std::initializer_list<std::string_view> faults = {},
                        pipelines::AlarmMonitorOptions alarmOptions = {},
                        pipelines::HardwarePollerOptions pollerOptions = {})
        : machine(serviceConfig(faults))
        , poller(machine, runContext, pollerOptions, &stats)
        , heartbeat(machine.controller(), heartbeatOptions(alarmOptions), &stats)
        , alarms(executor, poller, heartbeat, runContext, std::move(alarmOptions), &stats)
    {
    }

    ~ServiceRig()
    {
        stop.request_stop();
        executor.cancelTimers();
    }

    ServiceRig(const ServiceRig &) = delete;
    ServiceRig &operator=(const ServiceRig &) = delete;

    void startAll()
    {
        executor.spawn(poller.run(stop.get_token()));
        executor.spawn(heartbeat.run(stop.get_token()));
        executor.spawn(alarms.run(stop.get_token()));
        executor.runReady();
    }

    /// Moves the fake clock to `sincePowerOn`, running whatever comes due on the way.
    void advanceTo(runtime::Clock::duration sincePowerOn)
    {
        executor.advance(machine.powerOnTime() + sincePowerOn - executor.now());
    }

    [[nodiscard]] runtime::Clock::duration sincePowerOn(runtime::TimePoint t) const
    {
        return t - machine.powerOnTime();
    }
    [[nodiscard]] runtime::Clock::duration sincePowerOn() const { return sincePowerOn(executor.now()); }

    /// Every alarm event handed on so far, kept across calls.
    const std::vector<core::AlarmEvent> &events()
    {
        for (core::AlarmEvent &event : drain(alarms.events())) {
            eventLog.push_back(std::move(event));
        }
        return eventLog;
    }

    /// The first event of `kind` for `tag` handed on so far.
    std::optional<core::AlarmEvent> firstEvent(std::string_view tag, core::AlarmEventKind kind)
    {
        for (const core::AlarmEvent &event : events()) {
            if (event.tag == tag && event.kind == kind) {
                return event;
            }
        }
        return std::nullopt;
    }

    static pipelines::HeartbeatMonitorOptions heartbeatOptions(const pipelines::AlarmMonitorOptions &alarmOptions)
    {
        pipelines::HeartbeatMonitorOptions options;
        options.timeout = alarmOptions.limits.heartbeatTimeout;
        return options;
    }

    ManualExecutor executor;
    hardware::sim::SimulatedMachine machine;
    pipelines::RunContext runContext;
    runtime::StatsRegistry stats;
    pipelines::HardwarePoller poller;
    pipelines::HeartbeatMonitor heartbeat;
    pipelines::AlarmMonitor alarms;
    std::stop_source stop;
    std::vector<core::AlarmEvent> eventLog;
};

} // namespace waferscope::testing
