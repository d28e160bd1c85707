#pragma once

/// Role and Permission: who may do what at the console. Roles are ordered — operator < technician
/// < engineer < admin — and each holds the permissions of the roles below it:
///   operator    run inspections (start, pause, resume, abort)
///   technician  + acknowledge and shelve alarms
///   engineer    + see pipeline statistics, export results (KLARF), read the audit trail,
///               reclassify stored defects
///   admin       + manage users
/// Names: toText() gives the lower-case name ("technician") that files, the audit and the UI use;
/// parseRole() reads it back and gives nullopt for anything else.
/// Threads: values. Allocates: nothing.

#include <cstdint>
#include <optional>
#include <string_view>

namespace waferscope::core {

enum class Role : std::uint8_t {
    Operator,
    Technician,
    Engineer,
    Admin,
};

inline constexpr Role kAllRoles[] = {Role::Operator, Role::Technician, Role::Engineer, Role::Admin};

enum class Permission : std::uint8_t {
    RunInspection,
    AcknowledgeAlarms,
    ShelveAlarms,
    ViewStatistics,
    ExportResults,
    ManageUsers,
    ViewAudit,     ///< read the audit trail
    ReviewDefects, ///< reclassify a stored defect
};

inline constexpr Permission kAllPermissions[] = {Permission::RunInspection,  Permission::AcknowledgeAlarms,
                                                 Permission::ShelveAlarms,   Permission::ViewStatistics,
                                                 Permission::ExportResults,  Permission::ManageUsers,
                                                 Permission::ViewAudit,      Permission::ReviewDefects};

[[nodiscard]] bool isAllowed(Role role, Permission permission) noexcept;

[[nodiscard]] std::string_view toText(Role role) noexcept;
[[nodiscard]] std::string_view toText(Permission permission) noexcept;
[[nodiscard]] std::optional<Role> parseRole(std::string_view name) noexcept;

} // namespace waferscope::core
