#include <waferscope/core/users/role.h>

namespace waferscope::core {

namespace {

/// The lowest role that holds `permission`.
Role lowestRoleFor(Permission permission) noexcept
{
    switch (permission) {
    case Permission::RunInspection:
        return Role::Operator;
    case Permission::AcknowledgeAlarms:
    case Permission::ShelveAlarms:
        return Role::Technician;
    case Permission::ViewStatistics:
    case Permission::ExportResults:
    case Permission::ViewAudit:
    case Permission::ReviewDefects:
        return Role::Engineer;
    case Permission::ManageUsers:
        return Role::Admin;
    }
    return Role::Admin;
}

} // namespace

bool isAllowed(Role role, Permission permission) noexcept
{
    return static_cast<int>(role) >= static_cast<int>(lowestRoleFor(permission));
}

std::string_view toText(Role role) noexcept
{
    switch (role) {
    case Role::Operator:
        return "operator";
    case Role::Technician:
        return "technician";
    case Role::Engineer:
        return "engineer";
    case Role::Admin:
        return "admin";
    }
    return "unknown";
}

std::string_view toText(Permission permission) noexcept
{
    switch (permission) {
    case Permission::RunInspection:
        return "run inspections";
    case Permission::AcknowledgeAlarms:
        return "acknowledge alarms";
    case Permission::ShelveAlarms:
        return "shelve alarms";
    case Permission::ViewStatistics:
        return "view pipeline statistics";
    case Permission::ExportResults:
        return "export results";
    case Permission::ManageUsers:
        return "manage users";
    case Permission::ViewAudit:
        return "view the audit trail";
    case Permission::ReviewDefects:
        return "review defects";
    }
    return "unknown";
}

std::optional<Role> parseRole(std::string_view name) noexcept
{
    for (const Role role : kAllRoles) {
        if (toText(role) == name) {
            return role;
        }
    }
    return std::nullopt;
}

} // namespace waferscope::core
