#pragma once

// Private to core: which commands each run state accepts, shared by RunStateMachine and its error.

#include <waferscope/core/runs/run_command.h>
#include <waferscope/core/runs/run_state.h>

namespace waferscope::core::detail {

[[nodiscard]] constexpr bool accepts(RunState state, RunCommand command) noexcept
{
    switch (state) {
    case RunState::Idle:
        return command == RunCommand::Start;
    case RunState::Checking:
        return command == RunCommand::ChecksPassed || command == RunCommand::ChecksFailed ||
               command == RunCommand::Abort || command == RunCommand::Fail;
    case RunState::Running:
        return command == RunCommand::Pause || command == RunCommand::Abort || command == RunCommand::WaferCompleted ||
               command == RunCommand::Fail;
    case RunState::Paused:
        return command == RunCommand::Resume || command == RunCommand::Abort || command == RunCommand::Fail;
    case RunState::Completed:
    case RunState::Aborted:
    case RunState::Failed:
        return false;
    }
    return false;
}

} // namespace waferscope::core::detail
