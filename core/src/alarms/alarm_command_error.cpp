#include <waferscope/core/alarms/alarm_command_error.h>

#include <utility>

namespace waferscope::core {

namespace {

std::string describe(const std::string &command, const std::string &tag, const std::string &reason)
{
    if (tag.empty()) {
        return "cannot " + command + ": " + reason;
    }
    return "cannot " + command + " alarm '" + tag + "': " + reason;
}

} // namespace

AlarmCommandError::AlarmCommandError(std::string command, std::string tag, std::string reason)
    : std::runtime_error(describe(command, tag, reason))
    , m_command(std::move(command))
    , m_tag(std::move(tag))
    , m_reason(std::move(reason))
{
}

} // namespace waferscope::core
