#pragma once

/// FaultAction: what a run does when a fault of some class is raised — pause, so an operator can
/// fix the cause and resume, or abort, ending the run.
/// Names: toText() gives the value a recipe uses ("pause", "abort"), and parseFaultAction() reads it
/// back; an unknown name gives nullopt.
/// Threads: a value. Allocates: nothing.

#include <cstdint>
#include <optional>
#include <string_view>

namespace waferscope::core {

enum class FaultAction : std::uint8_t {
    Pause, ///< stop taking frames and wait for resume or abort
    Abort, ///< end the run
};

[[nodiscard]] std::string_view toText(FaultAction action) noexcept;
[[nodiscard]] std::optional<FaultAction> parseFaultAction(std::string_view name) noexcept;

} // namespace waferscope::core
