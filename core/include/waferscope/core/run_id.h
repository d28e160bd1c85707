#pragma once

/// RunId: names one inspection run. Every frame, defect, alarm and log line of a run carries it.
/// It is a number, so stamping it on a frame copies eight bytes and allocates nothing; the default
/// RunId (0) means "no run" and is not valid.
/// Threads: a value. Allocates: nothing; toString() allocates the text it returns.

#include <compare>
#include <cstdint>
#include <string>

namespace waferscope::core {

class RunId
{
public:
    constexpr RunId() noexcept = default;
    constexpr explicit RunId(std::uint64_t value) noexcept
        : m_value(value)
    {
    }

    [[nodiscard]] constexpr std::uint64_t value() const noexcept { return m_value; }
    [[nodiscard]] constexpr bool isValid() const noexcept { return m_value != 0; }
    /// "run-42".
    [[nodiscard]] std::string toString() const { return "run-" + std::to_string(m_value); }

    friend constexpr bool operator==(RunId, RunId) noexcept = default;
    friend constexpr auto operator<=>(RunId, RunId) noexcept = default;

private:
    std::uint64_t m_value = 0;
};

} // namespace waferscope::core
