#include <waferscope/core/recipes/fault_action.h>

namespace waferscope::core {

std::string_view toText(FaultAction action) noexcept
{
    return action == FaultAction::Pause ? "pause" : "abort";
}

std::optional<FaultAction> parseFaultAction(std::string_view name) noexcept
{
    if (name == "pause") {
        return FaultAction::Pause;
    }
    if (name == "abort") {
        return FaultAction::Abort;
    }
    return std::nullopt;
}

} // namespace waferscope::core
