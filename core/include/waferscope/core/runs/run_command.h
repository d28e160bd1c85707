#pragma once

/// RunCommand: what can be asked of a run — the commands of RunStateMachine, by name, so errors,
/// history and the UI can say which one was given. toText() gives its name ("waferCompleted").
/// Threads: a value. Allocates: nothing.

#include <cstdint>
#include <string_view>

namespace waferscope::core {

enum class RunCommand : std::uint8_t {
    Start,
    ChecksPassed,
    ChecksFailed,
    Pause,
    Resume,
    Abort,
    WaferCompleted,
    Fail,
};

inline constexpr RunCommand kAllRunCommands[] = {
    RunCommand::Start, RunCommand::ChecksPassed, RunCommand::ChecksFailed,   RunCommand::Pause,
    RunCommand::Resume, RunCommand::Abort,       RunCommand::WaferCompleted, RunCommand::Fail,
};

[[nodiscard]] std::string_view toText(RunCommand command) noexcept;

} // namespace waferscope::core
