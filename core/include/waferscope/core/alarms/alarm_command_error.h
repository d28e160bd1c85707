#pragma once

/// AlarmCommandError: the alarm model refused a command, and changed nothing. It names the command,
/// the alarm and why, and its what() reads "cannot <command> alarm '<tag>': <reason>" — or
/// "cannot <command>: <reason>" when the refusal concerns no single alarm.
/// Threads: a value. Allocates: its text.

#include <stdexcept>
#include <string>

namespace waferscope::core {

class AlarmCommandError : public std::runtime_error
{
public:
    AlarmCommandError(std::string command, std::string tag, std::string reason);

    [[nodiscard]] const std::string &command() const noexcept { return m_command; }
    /// Empty when the refusal concerns no single alarm.
    [[nodiscard]] const std::string &tag() const noexcept { return m_tag; }
    [[nodiscard]] const std::string &reason() const noexcept { return m_reason; }

private:
    std::string m_command;
    std::string m_tag;
    std::string m_reason;
};

} // namespace waferscope::core
