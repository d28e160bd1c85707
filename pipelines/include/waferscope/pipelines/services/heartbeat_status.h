#pragma once

/// HeartbeatStatus: what the heartbeat monitor knows of the machine controller's heartbeat —
/// whether it is alive, the latest sequence and when it was seen to advance, how often it was
/// lost, and the latency and jitter of the latest beats.
/// Alive: the sequence advanced within the heartbeat timeout (counted from when monitoring began
/// until the first advance). A status from before the first poll says alive, with no beats.
/// Statistics: over the latest HeartbeatMonitor::kWindow beats; zero until there is a beat
/// (latency) or an interval between two (interval, jitter).
/// Threads: a value. Allocates: nothing.

#include <cstdint>

#include <waferscope/runtime/executor.h>

namespace waferscope::pipelines {

struct HeartbeatStatus {
    bool isAlive = true;
    std::uint64_t lastSequence = 0;
    /// When the monitor saw the sequence advance last, on its executor's clock.
    runtime::TimePoint lastAdvanceAt{};
    /// When the monitor last polled.
    runtime::TimePoint polledAt{};
    /// Beats seen advancing the sequence, counted by sequence number.
    std::uint64_t beats = 0;
    /// Times the heartbeat was lost: one per outage, however long.
    std::uint64_t missedCount = 0;
    /// A beat's age when the monitor first saw it: from its send time to that poll.
    runtime::Clock::duration latencyP50{};
    runtime::Clock::duration latencyP99{};
    /// The time between consecutive beats, from their send times.
    runtime::Clock::duration intervalMean{};
    /// The standard deviation of that interval.
    runtime::Clock::duration jitter{};
};

} // namespace waferscope::pipelines
