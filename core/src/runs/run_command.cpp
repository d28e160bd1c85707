#include <waferscope/core/runs/run_command.h>

namespace waferscope::core {

std::string_view toText(RunCommand command) noexcept
{
    switch (command) {
    case RunCommand::Start:
        return "start";
    case RunCommand::ChecksPassed:
        return "checksPassed";
    case RunCommand::ChecksFailed:
        return "checksFailed";
    case RunCommand::Pause:
        return "pause";
    case RunCommand::Resume:
        return "resume";
    case RunCommand::Abort:
        return "abort";
    case RunCommand::WaferCompleted:
        return "waferCompleted";
    case RunCommand::Fail:
        return "fail";
    }
    return "start";
}

} // namespace waferscope::core
