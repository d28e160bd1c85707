#include <waferscope/core/runs/run_command_error.h>

#include <string>

#include "run_rules.h"

namespace waferscope::core {

namespace {

std::string describe(RunCommand command, RunState state)
{
    std::string accepted;
    for (const RunCommand candidate : kAllRunCommands) {
        if (detail::accepts(state, candidate)) {
            accepted += (accepted.empty() ? "" : ", ") + std::string(toText(candidate));
        }
    }
    std::string text = "cannot " + std::string(toText(command)) + ": the run is " + std::string(toText(state));
    text += accepted.empty() ? " (it accepts no command; start the next run on a new one)"
                             : " (it accepts " + accepted + ")";
    return text;
}

} // namespace

RunCommandError::RunCommandError(RunCommand command, RunState state)
    : std::logic_error(describe(command, state))
    , m_command(command)
    , m_state(state)
{
}

} // namespace waferscope::core
