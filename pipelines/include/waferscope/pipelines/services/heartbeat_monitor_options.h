#pragma once

/// HeartbeatMonitorOptions: how often the heartbeat monitor polls the controller, and how long the
/// sequence may stand still before the heartbeat counts as lost (the recipe's heartbeatTimeout).
/// Threads: a value. Allocates: nothing.

#include <chrono>

#include <waferscope/runtime/executor.h>

namespace waferscope::pipelines {

struct HeartbeatMonitorOptions {
    runtime::Clock::duration period = std::chrono::milliseconds(20); ///< 50 Hz
    runtime::Clock::duration timeout = std::chrono::milliseconds(500);
};

} // namespace waferscope::pipelines
