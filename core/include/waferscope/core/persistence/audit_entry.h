#pragma once

/// AuditEntry: one thing a person did at the console — who (user and the role they acted in),
/// when, what (a short action name, "recipe.edit") and the detail of it.
/// Append-only: once stored, an entry is never changed or removed.
/// Threads: a value. Allocates: its strings.

#include <chrono>
#include <string>

namespace waferscope::core {

struct AuditEntry {
    using Time = std::chrono::system_clock::time_point;

    std::string userName;
    std::string role;
    Time at;
    std::string action; ///< not empty
    std::string detail;

    friend bool operator==(const AuditEntry &, const AuditEntry &) = default;
};

} // namespace waferscope::core
