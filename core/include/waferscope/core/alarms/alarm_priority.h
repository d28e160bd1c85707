#pragma once

/// AlarmPriority: how urgently an operator must respond to an alarm — critical, high, medium or
/// low, from most to least urgent. isMoreUrgent() orders them that way.
/// Names: toText() gives a stable lower-case name ("critical"), the one configuration, logs and
/// persistence use, and parseAlarmPriority() reads it back; an unknown name gives nullopt.
/// Threads: a value. Allocates: nothing.

#include <cstdint>
#include <optional>
#include <string_view>

namespace waferscope::core {

enum class AlarmPriority : std::uint8_t {
    Critical, ///< respond at once: the machine or a wafer is at risk now
    High,     ///< respond within minutes
    Medium,   ///< respond within the shift
    Low,      ///< for information; respond when convenient
};

inline constexpr AlarmPriority kAllAlarmPriorities[] = {
    AlarmPriority::Critical,
    AlarmPriority::High,
    AlarmPriority::Medium,
    AlarmPriority::Low,
};

/// Declared from most to least urgent, so the smaller enumerator is the more urgent one.
[[nodiscard]] constexpr bool isMoreUrgent(AlarmPriority a, AlarmPriority b) noexcept
{
    return a < b;
}

[[nodiscard]] std::string_view toText(AlarmPriority priority) noexcept;
[[nodiscard]] std::optional<AlarmPriority> parseAlarmPriority(std::string_view name) noexcept;

} // namespace waferscope::core
