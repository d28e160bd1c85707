#pragma once

/// Heartbeat: the machine controller's sign of life — a sequence number that grows by one per beat
/// and the time of the latest beat. A sequence that stops growing is a controller that stopped.
/// Threads: a value. Allocates: nothing.

#include <cstdint>

#include <waferscope/runtime/executor.h>

namespace waferscope::hardware {

struct Heartbeat {
    std::uint64_t sequence = 0;
    runtime::TimePoint timestamp{}; ///< when the latest beat was sent, on the machine's clock
};

} // namespace waferscope::hardware
