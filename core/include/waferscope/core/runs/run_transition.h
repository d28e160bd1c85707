#pragma once

/// RunTransition: one step in a run's history — from which state to which, by which command, why,
/// when, and on which wafer of the lot (0-based) the run stood afterwards.
/// Threads: a value. Allocates: its reason.

#include <chrono>
#include <cstddef>
#include <string>

#include <waferscope/core/runs/run_command.h>
#include <waferscope/core/runs/run_state.h>

namespace waferscope::core {

struct RunTransition {
    using Time = std::chrono::system_clock::time_point;

    RunState from = RunState::Idle;
    RunState to = RunState::Idle;
    RunCommand command = RunCommand::Start;
    std::string reason;
    Time time;
    std::size_t waferIndex = 0;

    friend bool operator==(const RunTransition &, const RunTransition &) = default;
};

} // namespace waferscope::core
