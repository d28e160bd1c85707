#pragma once

/// HardwarePoller: polls the stage, lamp, vacuum chuck, camera and machine controller at a fixed
/// rate (200 Hz by default), keeps the latest DeviceSnapshot, and publishes the channels that
/// changed as TelemetrySamples.
/// Publishes: every channel on the first poll; afterwards only an analog channel that moved past
/// its deadband, or a boolean or enum that changed. Each sample carries the RunContext's run as
/// read at that poll.
/// Samples: go to samples(), a DropOldest channel. Telemetry is optional data: when the reader
/// falls behind, the oldest sample makes room and is counted (the channel's dropped_oldest), and
/// the poller never waits.
/// Snapshot: snapshot() returns the latest polled state to any thread, copied under a mutex that
/// is held only for the copy.
/// States: idle → running (run(), at most once) → stopped. After a stop request it ends at its
/// next tick, and at once when its executor shuts down; either way it completes samples(), so
/// their reader drains them and ends.
/// Errors: a poll that throws is counted (poll_errors) and that tick keeps the previous snapshot;
/// polling goes on.
/// Threads: run() is a Job for one executor with timers, and resumes only there; snapshot(),
/// samples() and the counters from any thread.
/// Allocates: at construction; nothing per tick.
/// Counters (stats registry kind "service", name "hardware_poller"): polls, samples_published,
/// missed_ticks, poll_errors.

#include <array>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <mutex>
#include <stop_token>
#include <string_view>

#include <waferscope/hardware/machine.h>
#include <waferscope/pipelines/services/device_snapshot.h>
#include <waferscope/pipelines/services/hardware_poller_options.h>
#include <waferscope/pipelines/services/run_context.h>
#include <waferscope/pipelines/services/telemetry_sample.h>
#include <waferscope/runtime/channel.h>
#include <waferscope/runtime/counter.h>
#include <waferscope/runtime/job.h>
#include <waferscope/runtime/stats_registry.h>

namespace waferscope::pipelines {

class HardwarePoller final : private runtime::StatsProvider
{
public:
    // The channels, in the order a poll publishes them.
    static constexpr std::string_view kStageX = "stage.x_mm";
    static constexpr std::string_view kStageY = "stage.y_mm";
    static constexpr std::string_view kFollowingError = "stage.following_error_um";
    static constexpr std::string_view kStageMoving = "stage.moving";
    static constexpr std::string_view kEncoderHealthy = "stage.encoder_healthy";
    static constexpr std::string_view kIlluminationSetpoint = "illumination.setpoint_percent";
    static constexpr std::string_view kIlluminationReadback = "illumination.readback_percent";
    static constexpr std::string_view kLampHours = "illumination.lamp_hours";
    static constexpr std::string_view kVacuumPressure = "vacuum.pressure_kpa";
    static constexpr std::string_view kVacuumOn = "vacuum.on";
    static constexpr std::string_view kWaferClamped = "vacuum.wafer_clamped";
    static constexpr std::string_view kCameraConnected = "camera.connected";
    static constexpr std::string_view kCameraAcquiring = "camera.acquiring";
    static constexpr std::string_view kMachineState = "controller.machine_state";
    static constexpr std::size_t kChannelCount = 14;

    /// `machine` and `runContext` must outlive the poller. Throws std::invalid_argument when
    /// options.period is not positive.
    HardwarePoller(hardware::Machine &machine, const RunContext &runContext, HardwarePollerOptions options = {},
                   runtime::StatsRegistry *stats = nullptr);
    HardwarePoller(const HardwarePoller &) = delete;
    HardwarePoller &operator=(const HardwarePoller &) = delete;
    ~HardwarePoller() override;

    /// The polling loop, to spawn on the poller's executor. Throws MisuseError when called twice.
    [[nodiscard]] runtime::Job run(std::stop_token stop = {});

    /// The latest polled state; hasData() is false until the first poll.
    [[nodiscard]] DeviceSnapshot snapshot() const;
    /// Where changed channels are published; one reader (the telemetry batcher).
    [[nodiscard]] runtime::Channel<TelemetrySample> &samples() noexcept { return m_samples; }
    [[nodiscard]] const HardwarePollerOptions &options() const noexcept { return m_options; }

    [[nodiscard]] std::uint64_t polls() const noexcept { return m_polls.value(); }
    [[nodiscard]] std::uint64_t samplesPublished() const noexcept { return m_published.value(); }
    [[nodiscard]] std::uint64_t missedTicks() const noexcept { return m_missedTicks.value(); }
    [[nodiscard]] std::uint64_t pollErrors() const noexcept { return m_pollErrors.value(); }

private:
    runtime::Job loop(std::stop_token stop);
    /// Precondition: on the poller's executor. Stores `next` and publishes the channels it changed.
    void publish(const DeviceSnapshot &next);
    void collect(runtime::MetricSink &sink) const override;

    struct ChannelState {
        std::string_view source;
        double deadband = 0.0;
        double lastPublished = 0.0;
    };

    hardware::Machine &m_machine;
    const RunContext &m_runContext;
    HardwarePollerOptions m_options;
    std::array<ChannelState, kChannelCount> m_channels; // poller's executor only
    bool m_hasPublished = false;                    // poller's executor only
    std::atomic<bool> m_hasRun{false};
    mutable std::mutex m_snapshotMutex;
    DeviceSnapshot m_snapshot; // guarded by m_snapshotMutex
    runtime::Channel<TelemetrySample> m_samples;
    runtime::Counter m_polls;
    runtime::Counter m_published;
    runtime::Counter m_missedTicks;
    runtime::Counter m_pollErrors;
    runtime::StatsRegistration m_registration;
};

} // namespace waferscope::pipelines
