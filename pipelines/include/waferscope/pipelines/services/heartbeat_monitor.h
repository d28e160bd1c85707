#pragma once

/// HeartbeatMonitor: watches the machine controller's heartbeat. It polls the heartbeat at a fixed
/// rate (50 Hz by default); the heartbeat is lost when its sequence has not advanced for longer than
/// the timeout, and alive again at the next advance. Any change of the sequence is an advance, so a
/// controller that restarts its count is alive.
/// Statistics: each beat's latency (its age when first seen) and the interval between beats (from
/// their send times) go into fixed rings of the latest kWindow values: p50 and p99 of the latency,
/// mean and standard deviation (jitter) of the interval. The interval across an outage is left out:
/// the outage is counted instead.
/// Status: status() returns a HeartbeatStatus to any thread, copied under a mutex held only for the
/// copy. The alarm monitor reports its isAlive as the heartbeat.lost condition.
/// Timeout: setTimeout() from any thread takes effect at the next poll.
/// States: idle → running (run(), at most once) → stopped: after a stop request it ends at its next
/// tick, and at once when its executor shuts down.
/// Errors: a poll that throws is counted (poll_errors) and changes nothing; the timeout still runs.
/// Threads: run() is a Job for one executor with timers, and resumes only there.
/// Allocates: nothing per poll or per beat.
/// Counters (stats registry kind "service", name "heartbeat_monitor"): polls, beats, missed,
/// is_alive, last_sequence, latency_p50_us, latency_p99_us, interval_mean_us, jitter_us, poll_errors.

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <stop_token>

#include <waferscope/hardware/machine_controller.h>
#include <waferscope/pipelines/services/heartbeat_monitor_options.h>
#include <waferscope/pipelines/services/heartbeat_status.h>
#include <waferscope/runtime/counter.h>
#include <waferscope/runtime/job.h>
#include <waferscope/runtime/stats_registry.h>

namespace waferscope::pipelines {

namespace detail {
class DurationWindow;
} // namespace detail

class HeartbeatMonitor final : private runtime::StatsProvider
{
public:
    static constexpr std::size_t kWindow = 128;

    /// `controller` must outlive the monitor. Throws std::invalid_argument when options.period is
    /// not positive.
    explicit HeartbeatMonitor(hardware::MachineController &controller, HeartbeatMonitorOptions options = {},
                              runtime::StatsRegistry *stats = nullptr);
    HeartbeatMonitor(const HeartbeatMonitor &) = delete;
    HeartbeatMonitor &operator=(const HeartbeatMonitor &) = delete;
    ~HeartbeatMonitor() override;

    /// The polling loop, to spawn on the monitor's executor. Throws MisuseError when called twice.
    [[nodiscard]] runtime::Job run(std::stop_token stop = {});

    [[nodiscard]] HeartbeatStatus status() const;
    void setTimeout(runtime::Clock::duration timeout) noexcept;
    [[nodiscard]] runtime::Clock::duration timeout() const noexcept;
    [[nodiscard]] std::uint64_t pollErrors() const noexcept { return m_pollErrors.value(); }

private:
    runtime::Job loop(std::stop_token stop);
    /// Precondition: on the monitor's executor.
    void observe(std::uint64_t sequence, runtime::TimePoint sentAt, runtime::TimePoint now);
    /// Precondition: on the monitor's executor. Declares the heartbeat lost once the timeout has passed.
    void checkTimeout(runtime::TimePoint now);
    void publish();
    void collect(runtime::MetricSink &sink) const override;

    hardware::MachineController &m_controller;
    runtime::Clock::duration m_period;
    std::atomic<runtime::Clock::rep> m_timeout;
    std::atomic<bool> m_hasRun{false};

    // The monitor's executor only.
    HeartbeatStatus m_state;
    bool m_hasSequence = false;
    runtime::TimePoint m_lastSentAt{};
    bool m_isIntervalValid = false; // the previous beat advanced the count, so an interval to it means something
    std::unique_ptr<detail::DurationWindow> m_latencies;
    std::unique_ptr<detail::DurationWindow> m_intervals;

    mutable std::mutex m_statusMutex;
    HeartbeatStatus m_status; // guarded by m_statusMutex
    runtime::Counter m_polls;
    runtime::Counter m_pollErrors;
    runtime::StatsRegistration m_registration;
};

} // namespace waferscope::pipelines
