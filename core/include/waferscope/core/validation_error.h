#pragma once

/// ValidationError: a value that came from outside (a recipe, a command line, a configuration) is
/// not usable. It lists every wrong field, each with what is wrong with it, and its what() reads
/// "invalid <subject>: <field>: <problem>; <field>: <problem>".
/// Threads: a value. Allocates: its text.

#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace waferscope::core {

class ValidationError : public std::invalid_argument
{
public:
    struct Issue {
        std::string field;
        std::string problem;
    };

    /// Precondition: `issues` is not empty.
    ValidationError(std::string subject, std::vector<Issue> issues);

    [[nodiscard]] const std::string &subject() const noexcept { return m_subject; }
    [[nodiscard]] const std::vector<Issue> &issues() const noexcept { return m_issues; }
    /// The problem reported for `field`, or an empty view when that field is fine.
    [[nodiscard]] std::string_view problemWith(std::string_view field) const noexcept;

private:
    std::string m_subject;
    std::vector<Issue> m_issues;
};

} // namespace waferscope::core
