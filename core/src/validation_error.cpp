#include <waferscope/core/validation_error.h>

namespace waferscope::core {

namespace {

std::string describe(const std::string &subject, const std::vector<ValidationError::Issue> &issues)
{
    std::string text = "invalid " + subject + ": ";
    for (std::size_t i = 0; i < issues.size(); ++i) {
        if (i > 0) {
            text += "; ";
        }
        text += issues[i].field + ": " + issues[i].problem;
    }
    return text;
}

} // namespace

ValidationError::ValidationError(std::string subject, std::vector<Issue> issues)
    : std::invalid_argument(describe(subject, issues))
    , m_subject(std::move(subject))
    , m_issues(std::move(issues))
{
}

std::string_view ValidationError::problemWith(std::string_view field) const noexcept
{
    for (const Issue &issue : m_issues) {
        if (issue.field == field) {
            return issue.problem;
        }
    }
    return {};
}

} // namespace waferscope::core
