#include <waferscope/pipelines/services/hardware_poller.h>

#include <cmath>
#include <exception>
#include <utility>

#include <waferscope/runtime/errors.h>
#include <waferscope/runtime/ticker.h>

#include "services/checked_period.h"

namespace waferscope::pipelines {

namespace {

runtime::ChannelOptions sampleChannelOptions(std::size_t capacity)
{
    runtime::ChannelOptions options;
    options.capacity = capacity;
    options.fullMode = runtime::FullMode::DropOldest;
    return options;
}

double flag(bool value) noexcept
{
    return value ? 1.0 : 0.0;
}

/// The channels' values in the order of HardwarePoller's channel list.
std::array<double, HardwarePoller::kChannelCount> valuesOf(const DeviceSnapshot &s) noexcept
{
    return {
        s.stage.position.x,
        s.stage.position.y,
        s.stage.followingErrorUm,
        flag(s.stage.isMoving),
        flag(s.stage.isEncoderHealthy),
        s.illumination.setpointPercent,
        s.illumination.readbackPercent,
        s.illumination.lampHours,
        s.vacuum.pressureKpa,
        flag(s.vacuum.isVacuumOn),
        flag(s.vacuum.isWaferClamped),
        flag(s.camera.isConnected),
        flag(s.camera.isAcquiring),
        static_cast<double>(static_cast<int>(s.machineState)),
    };
}

} // namespace

HardwarePoller::HardwarePoller(hardware::Machine &machine, const RunContext &runContext,
                               HardwarePollerOptions options, runtime::StatsRegistry *stats)
    : m_machine(machine)
    , m_runContext(runContext)
    , m_options(options)
    , m_channels{{
          {kStageX, options.positionDeadbandMm},
          {kStageY, options.positionDeadbandMm},
          {kFollowingError, options.followingErrorDeadbandUm},
          {kStageMoving, 0.0},
          {kEncoderHealthy, 0.0},
          {kIlluminationSetpoint, options.intensityDeadbandPercent},
          {kIlluminationReadback, options.intensityDeadbandPercent},
          {kLampHours, options.lampHoursDeadband},
          {kVacuumPressure, options.pressureDeadbandKpa},
          {kVacuumOn, 0.0},
          {kWaferClamped, 0.0},
          {kCameraConnected, 0.0},
          {kCameraAcquiring, 0.0},
          {kMachineState, 0.0},
      }}
    , m_samples("telemetry.samples", sampleChannelOptions(options.sampleCapacity), stats)
{
    m_options.period = detail::checkedPeriod(options.period, "hardware poller");
    m_registration = runtime::registerStats(stats, "service", "hardware_poller", *this);
}

HardwarePoller::~HardwarePoller()
{
    m_registration = runtime::StatsRegistration{};
}

runtime::Job HardwarePoller::run(std::stop_token stop)
{
    if (m_hasRun.exchange(true)) {
        throw runtime::MisuseError("hardware poller: run() was called twice");
    }
    return loop(std::move(stop));
}

DeviceSnapshot HardwarePoller::snapshot() const
{
    const std::lock_guard lock(m_snapshotMutex);
    return m_snapshot;
}

runtime::Job HardwarePoller::loop(std::stop_token stop)
{
    runtime::Executor *executor = runtime::Executor::current();
    runtime::Ticker ticker(m_options.period);
    std::uint64_t pollCount = 0;
    try {
        while (!stop.stop_requested()) {
            DeviceSnapshot next;
            try {
                next.stage = co_await m_machine.stage().state();
                next.illumination = co_await m_machine.illumination().state();
                next.vacuum = co_await m_machine.vacuumChuck().state();
                next.camera = co_await m_machine.camera().state();
                next.heartbeat = co_await m_machine.controller().heartbeat();
                next.machineState = co_await m_machine.controller().state();
                next.polledAt = executor->now();
                next.pollCount = ++pollCount;
                m_polls.add();
                publish(next);
            } catch (const runtime::OperationCancelled &) {
                throw;
            } catch (const std::exception &) {
                m_pollErrors.add(); // the previous snapshot stands; the next tick tries again
            }
            const std::uint64_t elapsed = co_await ticker.next();
            m_missedTicks.add(elapsed - 1);
        }
    } catch (const runtime::OperationCancelled &) {
        // The executor is shutting down: end like a stop request.
    }
    m_samples.complete();
}

void HardwarePoller::publish(const DeviceSnapshot &next)
{
    {
        const std::lock_guard lock(m_snapshotMutex);
        m_snapshot = next;
    }
    const auto values = valuesOf(next);
    const core::RunId run = m_runContext.runId();
    for (std::size_t i = 0; i < kChannelCount; ++i) {
        ChannelState &channel = m_channels[i];
        const double value = values[i];
        const double change = std::abs(value - channel.lastPublished);
        const bool hasChanged = channel.deadband > 0.0 ? change >= channel.deadband : value != channel.lastPublished;
        if (m_hasPublished && !hasChanged) {
            continue;
        }
        channel.lastPublished = value;
        if (m_samples.tryWrite(TelemetrySample{run, channel.source, next.polledAt, value})) {
            m_published.add();
        }
    }
    m_hasPublished = true;
}

void HardwarePoller::collect(runtime::MetricSink &sink) const
{
    sink.add("polls", m_polls.value());
    sink.add("samples_published", m_published.value());
    sink.add("missed_ticks", m_missedTicks.value());
    sink.add("poll_errors", m_pollErrors.value());
}

} // namespace waferscope::pipelines
