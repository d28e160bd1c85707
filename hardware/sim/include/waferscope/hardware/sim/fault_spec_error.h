#pragma once

/// FaultSpecError: a fault spec's text could not be read. It names the spec, the key at fault (or
/// "kind", or "syntax" for a misplaced comma) and what is wrong, and its what() reads
/// "fault spec 'vacuum-drop:start=10s,duration=5q': duration: '5q' is not a time (...)".
/// Threads: a value. Allocates: its text.

#include <stdexcept>
#include <string>

namespace waferscope::hardware::sim {

class FaultSpecError : public std::invalid_argument
{
public:
    FaultSpecError(std::string spec, std::string key, std::string problem);

    [[nodiscard]] const std::string &spec() const noexcept { return m_spec; }
    [[nodiscard]] const std::string &key() const noexcept { return m_key; }
    [[nodiscard]] const std::string &problem() const noexcept { return m_problem; }

private:
    std::string m_spec;
    std::string m_key;
    std::string m_problem;
};

} // namespace waferscope::hardware::sim
