#pragma once

/// RunCommandError: a command a run does not accept in its current state. It names both, and the
/// commands the state does accept: "cannot resume: the run is running (it accepts pause, abort,
/// waferCompleted, fail)". The run is unchanged.
/// Threads: a value. Allocates: its text.

#include <stdexcept>

#include <waferscope/core/runs/run_command.h>
#include <waferscope/core/runs/run_state.h>

namespace waferscope::core {

class RunCommandError : public std::logic_error
{
public:
    RunCommandError(RunCommand command, RunState state);

    [[nodiscard]] RunCommand command() const noexcept { return m_command; }
    [[nodiscard]] RunState state() const noexcept { return m_state; }

private:
    RunCommand m_command;
    RunState m_state;
};

} // namespace waferscope::core
