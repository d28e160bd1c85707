#include <waferscope/core/alarms/alarm_definition.h>

#include <vector>

#include <waferscope/core/validation_error.h>

namespace waferscope::core {

namespace {

bool isTagCharacter(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '-' || c == '_';
}

void requireNotNegative(std::vector<ValidationError::Issue> &issues, const char *field,
                        std::chrono::milliseconds duration)
{
    if (duration.count() < 0) {
        issues.push_back({field, std::to_string(duration.count()) + " ms is negative"});
    }
}

} // namespace

void AlarmDefinition::validate() const
{
    std::vector<ValidationError::Issue> issues;
    if (tag.empty()) {
        issues.push_back({"tag", "is empty"});
    }
    for (std::size_t i = 0; i < tag.size(); ++i) {
        if (!isTagCharacter(tag[i])) {
            issues.push_back({"tag", "character " + std::to_string(i + 1) +
                                         " is not a lower-case letter, a digit, '.', '-' or '_'"});
            break;
        }
    }
    if (source.empty()) {
        issues.push_back({"source", "is empty"});
    }
    if (message.empty()) {
        issues.push_back({"message", "is empty"});
    }
    requireNotNegative(issues, "on delay", onDelay);
    requireNotNegative(issues, "off delay", offDelay);
    requireNotNegative(issues, "chatter window", chatterWindow);
    if (chatterCount > 0 && chatterWindow.count() <= 0) {
        issues.push_back({"chatter window", "must be positive when the chatter count is " +
                                                std::to_string(chatterCount) + "; a count of 0 turns the filter off"});
    }
    requireNotNegative(issues, "max shelve duration", maxShelveDuration);
    if (!issues.empty()) {
        throw ValidationError(tag.empty() ? std::string("alarm definition") : "alarm definition '" + tag + "'",
                              std::move(issues));
    }
}

} // namespace waferscope::core
