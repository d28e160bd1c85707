#include <waferscope/pipelines/persistence/damaged_database_policy.h>

namespace waferscope::pipelines {

std::string_view toText(DamagedDatabasePolicy policy) noexcept
{
    switch (policy) {
    case DamagedDatabasePolicy::Replace:
        return "replace";
    case DamagedDatabasePolicy::Refuse:
        return "refuse";
    }
    return "replace";
}

std::optional<DamagedDatabasePolicy> damagedDatabasePolicyFromText(std::string_view text) noexcept
{
    for (const DamagedDatabasePolicy policy : {DamagedDatabasePolicy::Replace, DamagedDatabasePolicy::Refuse}) {
        if (toText(policy) == text) {
            return policy;
        }
    }
    return std::nullopt;
}

} // namespace waferscope::pipelines
