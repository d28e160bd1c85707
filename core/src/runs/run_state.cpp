#include <waferscope/core/runs/run_state.h>

namespace waferscope::core {

std::string_view toText(RunState state) noexcept
{
    switch (state) {
    case RunState::Idle:
        return "idle";
    case RunState::Checking:
        return "checking";
    case RunState::Running:
        return "running";
    case RunState::Paused:
        return "paused";
    case RunState::Completed:
        return "completed";
    case RunState::Aborted:
        return "aborted";
    case RunState::Failed:
        return "failed";
    }
    return "idle";
}

} // namespace waferscope::core
