#include <waferscope/pipelines/services/heartbeat_monitor.h>

#include <algorithm>
#include <chrono>
#include <exception>
#include <utility>

#include <waferscope/runtime/errors.h>
#include <waferscope/runtime/ticker.h>

#include "services/checked_period.h"
#include "services/duration_window.h"

namespace waferscope::pipelines {

static_assert(HeartbeatMonitor::kWindow == detail::DurationWindow::kCapacity);

namespace {

std::int64_t microseconds(runtime::Clock::duration d) noexcept
{
    return std::chrono::duration_cast<std::chrono::microseconds>(d).count();
}

} // namespace

HeartbeatMonitor::HeartbeatMonitor(hardware::MachineController &controller, HeartbeatMonitorOptions options,
                                   runtime::StatsRegistry *stats)
    : m_controller(controller)
    , m_period(detail::checkedPeriod(options.period, "heartbeat monitor"))
    , m_timeout(options.timeout.count())
    , m_latencies(std::make_unique<detail::DurationWindow>())
    , m_intervals(std::make_unique<detail::DurationWindow>())
{
    m_registration = runtime::registerStats(stats, "service", "heartbeat_monitor", *this);
}

HeartbeatMonitor::~HeartbeatMonitor()
{
    m_registration = runtime::StatsRegistration{};
}

runtime::Job HeartbeatMonitor::run(std::stop_token stop)
{
    if (m_hasRun.exchange(true)) {
        throw runtime::MisuseError("heartbeat monitor: run() was called twice");
    }
    return loop(std::move(stop));
}

HeartbeatStatus HeartbeatMonitor::status() const
{
    const std::lock_guard lock(m_statusMutex);
    return m_status;
}

void HeartbeatMonitor::setTimeout(runtime::Clock::duration timeout) noexcept
{
    // Relaxed: the timeout is a self-contained value, read afresh at every poll.
    m_timeout.store(timeout.count(), std::memory_order_relaxed);
}

runtime::Clock::duration HeartbeatMonitor::timeout() const noexcept
{
    return runtime::Clock::duration(m_timeout.load(std::memory_order_relaxed));
}

runtime::Job HeartbeatMonitor::loop(std::stop_token stop)
{
    runtime::Executor *executor = runtime::Executor::current();
    runtime::Ticker ticker(m_period);
    m_state.lastAdvanceAt = executor->now(); // the timeout counts from here until the first beat
    try {
        while (!stop.stop_requested()) {
            try {
                const hardware::Heartbeat beat = co_await m_controller.heartbeat();
                m_polls.add();
                observe(beat.sequence, beat.timestamp, executor->now());
            } catch (const runtime::OperationCancelled &) {
                throw;
            } catch (const std::exception &) {
                m_pollErrors.add();
            }
            const runtime::TimePoint now = executor->now();
            m_state.polledAt = now;
            checkTimeout(now);
            publish();
            static_cast<void>(co_await ticker.next());
        }
    } catch (const runtime::OperationCancelled &) {
        // The executor is shutting down: end like a stop request.
    }
}

void HeartbeatMonitor::observe(std::uint64_t sequence, runtime::TimePoint sentAt, runtime::TimePoint now)
{
    if (!m_hasSequence) {
        // The first poll only sets the reference: that beat may be arbitrarily old.
        m_hasSequence = true;
        m_state.lastSequence = sequence;
        m_lastSentAt = sentAt;
        return;
    }
    if (sequence == m_state.lastSequence) {
        return;
    }
    if (sequence > m_state.lastSequence) {
        const std::uint64_t advance = sequence - m_state.lastSequence;
        // A controller clock ahead of ours must not give a negative age.
        m_latencies->add(std::max(now - sentAt, runtime::Clock::duration::zero()));
        if (m_state.isAlive && m_isIntervalValid) {
            m_intervals->add((sentAt - m_lastSentAt) / static_cast<runtime::Clock::rep>(advance));
        }
        m_state.beats += advance;
        m_state.latencyP50 = m_latencies->percentile(0.50);
        m_state.latencyP99 = m_latencies->percentile(0.99);
        m_state.intervalMean = m_intervals->mean();
        m_state.jitter = m_intervals->standardDeviation();
    }
    m_isIntervalValid = sequence > m_state.lastSequence; // a restarted count has no interval to the old one
    m_state.lastSequence = sequence;
    m_lastSentAt = sentAt;
    m_state.lastAdvanceAt = now;
    m_state.isAlive = true;
}

void HeartbeatMonitor::checkTimeout(runtime::TimePoint now)
{
    if (m_state.isAlive && now - m_state.lastAdvanceAt > timeout()) {
        m_state.isAlive = false;
        m_state.missedCount += 1;
    }
}

void HeartbeatMonitor::publish()
{
    const std::lock_guard lock(m_statusMutex);
    m_status = m_state;
}

void HeartbeatMonitor::collect(runtime::MetricSink &sink) const
{
    const HeartbeatStatus s = status();
    sink.add("polls", m_polls.value());
    sink.add("beats", s.beats);
    sink.add("missed", s.missedCount);
    sink.add("is_alive", std::int64_t{s.isAlive ? 1 : 0});
    sink.add("last_sequence", s.lastSequence);
    sink.add("latency_p50_us", microseconds(s.latencyP50));
    sink.add("latency_p99_us", microseconds(s.latencyP99));
    sink.add("interval_mean_us", microseconds(s.intervalMean));
    sink.add("jitter_us", microseconds(s.jitter));
    sink.add("poll_errors", m_pollErrors.value());
}

} // namespace waferscope::pipelines
